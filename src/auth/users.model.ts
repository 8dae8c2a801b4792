import { z } from "zod";
import { ROLES } from "./permissions.js";

export const RoleSchema = z.enum(ROLES);

export const CreateUserInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(10, "Passwords need at least 10 characters.").max(200),
  role: RoleSchema,
  regionCodes: z.array(z.string().max(64)).max(50).default([]),
  sectorCodes: z.array(z.string().max(64)).max(50).default([]),
  /** Workplaces by id or site code. */
  workplaceIds: z.array(z.number().int().positive()).max(200).default([]),
  workplaceCodes: z.array(z.string().max(64)).max(200).default([]),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(200),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const UserDto = z.object({
  id: z.number().int(),
  unionId: z.number().int(),
  unionName: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  roleLabel: z.string(),
  regionIds: z.array(z.number().int()),
  sectorIds: z.array(z.number().int()),
  workplaceIds: z.array(z.number().int()),
  /** Scope described in words, e.g. "Greater London region". */
  scopeLabel: z.string(),
  permissions: z.array(z.string()),
});
export type UserDto = z.infer<typeof UserDto>;

export const SessionDto = z.object({
  user: UserDto,
  csrfToken: z.string(),
  /** The server's date in the UK (YYYY-MM-DD): deadlines and "closed" are judged by it, not the browser's clock. */
  today: z.string(),
});
export type SessionDto = z.infer<typeof SessionDto>;
