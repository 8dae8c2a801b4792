import { hash, verify } from "@node-rs/argon2";

/** Argon2id with the library's defaults (OWASP's recommended minimum: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/** Verified against when the email is unknown, so timing does not reveal which emails exist. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword("no-such-user-password");
  return dummy;
}
