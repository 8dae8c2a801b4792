/**
 * Strike pay by the union's rules, which are data (strike_pay_rules): a rate per
 * day, the first days of a dispute unpaid, a cap on paid days and on pence per
 * member in the dispute. Pure: given every day a member has had approved in the
 * dispute (paid ones with what they were paid), it says what each day not yet
 * paid is worth. The ordinal of a day is its place among the member's approved
 * days by date, so a day approved late does not move days already paid.
 */
export interface PayRules {
  ratePence: number;
  unpaidDays: number;
  maxPaidDays: number | null;
  maxPencePerMember: number | null;
  hardshipMaxPence: number;
  hardshipCriteria: string[];
}

export interface MemberDay {
  day: string;
  /** Already paid: the amount it was paid; else null. */
  paidPence: number | null;
}

export function dayAmounts(days: readonly MemberDay[], rules: PayRules): Map<string, number> {
  const sorted = [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  let paidSoFar = sorted.reduce((n, d) => n + (d.paidPence ?? 0), 0);
  let paidDays = sorted.filter((d) => (d.paidPence ?? 0) > 0).length;
  const out = new Map<string, number>();
  sorted.forEach((d, i) => {
    if (d.paidPence !== null) return;
    let amount = i < rules.unpaidDays ? 0 : rules.ratePence;
    if (amount > 0 && rules.maxPaidDays !== null && paidDays >= rules.maxPaidDays) amount = 0;
    if (rules.maxPencePerMember !== null)
      amount = Math.max(0, Math.min(amount, rules.maxPencePerMember - paidSoFar));
    if (amount > 0) paidDays += 1;
    paidSoFar += amount;
    out.set(d.day, amount);
  });
  return out;
}

/** A hardship grant is what was asked, at most the rules' maximum, and only when every criterion was checked. */
export function hardshipAmount(
  requestedPence: number,
  criteriaMet: readonly string[],
  rules: PayRules,
): number {
  const all = rules.hardshipCriteria.every((c) => criteriaMet.includes(c));
  return all ? Math.min(requestedPence, rules.hardshipMaxPence) : 0;
}
