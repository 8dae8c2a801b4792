/** Option parsers shared by the commands: a wrong value is a usage error naming the option. */
import { isIsoDate } from "../law/dates.js";
import { AppError } from "../shared/errors.js";

export function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new AppError("cli.usage", `--${name} must be a whole number, got "${v}".`);
    return n;
  };
}

export function isoDate(name: string) {
  return (v: string) => {
    if (!isIsoDate(v)) throw new AppError("cli.usage", `--${name} must be a date as YYYY-MM-DD, got "${v}".`);
    return v;
  };
}
