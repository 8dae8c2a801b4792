import { parseGenericRegister } from "./csv.parse.js";
import { parseGias } from "./gias.parse.js";
import { parseLocalAuthorities } from "./la.parse.js";
import { parseOds } from "./ods.parse.js";
import type { ParsedRegister } from "./register-records.js";

export { parseGenericRegister } from "./csv.parse.js";
export { type EmployerRule, GIAS_ESTABLISHMENT_TYPES, parseGias, parseGiasLinks } from "./gias.parse.js";
export { localAuthoritySuccessors, parseLocalAuthorities } from "./la.parse.js";
export { parseOds } from "./ods.parse.js";
export type {
  AliasKind,
  CodeKind,
  ParsedRegister,
  RegisterAlias,
  RegisterRecord,
  RegisterSource,
} from "./register-records.js";
export { renamedAliases } from "./renamed-aliases.js";

export type RegisterFormat = "ods" | "gias" | "csv" | "la";

const PARSERS: Record<RegisterFormat, (bytes: Uint8Array, file: string) => ParsedRegister> = {
  ods: parseOds,
  gias: parseGias,
  csv: parseGenericRegister,
  la: parseLocalAuthorities,
};

/** Parses a register file of the given format; bad lines come back as problems, never as exceptions. */
export function parseRegister(format: RegisterFormat, bytes: Uint8Array, file: string): ParsedRegister {
  return PARSERS[format](bytes, file);
}
