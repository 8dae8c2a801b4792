/**
 * The picket supervisor's letter of approval (TULRCA 1992 s.220A(5)-(6) where the law on the picketing
 * day requires a supervisor; otherwise good practice under the Code of Practice on Picketing), on the
 * union's letterhead through the ballot documents' page layout. Only rules the law data holds as
 * confirmed are printed: an unconfirmed rule (Northern Ireland's position) is left off the letter.
 * Pure but for pdfkit's in-memory rendering.
 */
import { DocumentWriter, formatUkDate, type UnionParty } from "../notices/index.js";
import type { PicketLaw } from "./picket.law.js";

export interface LetterInput {
  union: UnionParty;
  issuedOn: string;
  planId: number;
  day: string;
  supervisor: { name: string; contact: string };
  workplace: { name: string; employer: string; address: string | null; postcode: string | null };
  lines: { location: string; entrance: string; startsAt: string; endsAt: string }[];
  law: PicketLaw;
  /** A contact with the police is recorded on the plan. */
  policeTold: boolean;
}

export function renderSupervisorLetter(input: LetterInput): Promise<Buffer> {
  const { law } = input;
  const w = new DocumentWriter({
    union: input.union,
    title: "Picket supervisor: letter of approval",
    issuedOn: input.issuedOn,
    draft: false,
    footer: [`Picket supervisor letter ${input.planId}`, `picketing on ${formatUkDate(input.day)}`],
    subject: `picket-supervisor-letter:${input.planId}`,
  });
  const place = [input.workplace.address, input.workplace.postcode].filter(Boolean).join(", ");
  w.facts([
    ["Picket supervisor", input.supervisor.name],
    ...(input.supervisor.contact ? ([["Contact", input.supervisor.contact]] as [string, string][]) : []),
    ["Union", input.union.name],
    ["Workplace", `${input.workplace.name} (${input.workplace.employer})`],
    ...(place ? ([["Address", place]] as [string, string][]) : []),
    ["Day of picketing", formatUkDate(input.day)],
  ]);
  w.heading("Picket lines");
  if (input.lines.length) {
    w.table(
      [
        { header: "Location", width: 0.42 },
        { header: "Entrance", width: 0.34 },
        { header: "Times", width: 0.24 },
      ],
      input.lines.map((l) => [l.location, l.entrance || "-", `${l.startsAt} to ${l.endsAt}`]),
    );
  } else {
    w.paragraph("The picket lines are to be confirmed by the union.");
  }
  w.heading("Approval");
  const cited: { citation: string; unconfirmed: boolean }[] = [];
  if (law.supervisorRequired && law.supervisor.unconfirmed === null) {
    w.paragraph(
      `${input.union.name} has appointed ${input.supervisor.name} as the picket supervisor for the picketing named in this letter, under section 220A of the Trade Union and Labour Relations (Consolidation) Act 1992, and approves them as such.`,
    );
    w.bullets([
      "The supervisor is an official or member of the union familiar with the Code of Practice on Picketing.",
      ...(input.policeTold
        ? [
            "The union has given the police the supervisor's name, how to contact them and where the picketing will take place.",
          ]
        : []),
      "The supervisor will show this letter to the employer, or a person acting on the employer's behalf, as soon as reasonably practicable when asked (s.220A(5)-(6)).",
      "The supervisor will be present at the picketing, or readily contactable by the union and the police and able to attend at short notice (s.220A(7)).",
      "The supervisor will wear something that readily identifies them as the picket supervisor (s.220A(8)).",
    ]);
    cited.push({ citation: law.supervisor.citation, unconfirmed: false });
  } else {
    w.paragraph(
      `${input.union.name} has named ${input.supervisor.name} as the picket supervisor for the picketing named in this letter, as good practice, and approves them as such. They can be asked about the picketing at any time during it.`,
    );
    if (law.supervisor.unconfirmed === null) {
      w.paragraph(law.supervisor.summary);
      cited.push({ citation: law.supervisor.citation, unconfirmed: false });
    }
  }
  if (law.numbers.unconfirmed === null) cited.push({ citation: law.numbers.citation, unconfirmed: false });
  w.signature(input.union);
  w.legalBasis(cited);
  return w.finish();
}
