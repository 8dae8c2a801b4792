/**
 * The statutory result notice to members (TULRCA 1992 s.231; decisions/0030): the figures of each
 * constituency's recorded result as merge fields, in English and Welsh, and the standard wording of the
 * message on each channel. Pure: no database.
 *
 * Whatever the regime it gives the whole list of s.231 as substituted by TUA 2016 s.6 (ballot-law.md
 * §7 advises the superset): the number entitled to vote, votes cast, Yes and No to each question,
 * spoiled or otherwise invalid papers, and, where those rules apply to the ballot, whether the 50%
 * turnout and the 40% support thresholds were met.
 */
import type { Channel, Language } from "./comms.model.js";

export type QuestionKind = "strike" | "action_short_of_strike";

/** What the ballot's recorded result holds, as `ballot_results` keeps it. */
export interface RecordedResult {
  ballotId: number;
  ballotName: string;
  closingDate: string;
  entitled: number;
  votesCast: number;
  questions: { question: string; yes: number; no: number; spoilt?: number | null }[];
  evaluation: {
    turnoutPercent: number;
    mandate: boolean;
    mandateFor: string[];
    tests: { name: string; question: string | null; met: boolean }[];
  };
}

/** One constituency's result as the templates' `result` merge field. Numbers are written out. */
export interface ResultFields {
  ballot: string;
  closing_date_en: string;
  closing_date_cy: string;
  entitled: string;
  votes_cast: string;
  turnout: string;
  questions: { label_en: string; label_cy: string; yes: string; no: string; spoilt: string }[];
  thresholds_en: string[];
  thresholds_cy: string[];
  outcome_en: string;
  outcome_cy: string;
}

const LABEL: Record<QuestionKind, { en: string; cy: string }> = {
  strike: { en: "Strike action", cy: "Streic" },
  action_short_of_strike: {
    en: "Industrial action short of a strike",
    cy: "Gweithredu diwydiannol sy'n fyr o streic",
  },
};
const PHRASE: Record<QuestionKind, { en: string; cy: string }> = {
  strike: { en: "strike action", cy: "streic" },
  action_short_of_strike: {
    en: "industrial action short of a strike",
    cy: "gweithredu diwydiannol sy'n fyr o streic",
  },
};

const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const MONTHS_CY = [
  "Ionawr",
  "Chwefror",
  "Mawrth",
  "Ebrill",
  "Mai",
  "Mehefin",
  "Gorffennaf",
  "Awst",
  "Medi",
  "Hydref",
  "Tachwedd",
  "Rhagfyr",
];

function ukDate(iso: string, months: string[]): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${months[(m ?? 1) - 1]} ${y}`;
}

const count = (n: number) => n.toLocaleString("en-GB");
const kindOf = (q: string): QuestionKind => (q === "action_short_of_strike" ? q : "strike");

/** The merge fields of one constituency's result. */
export function resultFields(r: RecordedResult): ResultFields {
  const met = (b: boolean) => ({ en: b ? "met" : "not met", cy: b ? "wedi'i gyrraedd" : "heb ei gyrraedd" });
  const thresholds_en: string[] = [];
  const thresholds_cy: string[] = [];
  const turnout = r.evaluation.tests.find((t) => t.name === "turnout");
  if (turnout) {
    thresholds_en.push(
      `Turnout threshold (at least 50% of those entitled to vote voted): ${met(turnout.met).en}`,
    );
    thresholds_cy.push(
      `Trothwy'r nifer a bleidleisiodd (o leiaf 50% o'r rhai â hawl i bleidleisio wedi pleidleisio): ${met(turnout.met).cy}`,
    );
  }
  for (const t of r.evaluation.tests.filter((x) => x.name === "important_public_services_40")) {
    const q = kindOf(t.question ?? "strike");
    thresholds_en.push(
      `Support threshold in important public services (at least 40% of those entitled to vote voted Yes), ${PHRASE[q].en}: ${met(t.met).en}`,
    );
    thresholds_cy.push(
      `Trothwy cefnogaeth mewn gwasanaethau cyhoeddus pwysig (o leiaf 40% o'r rhai â hawl i bleidleisio wedi pleidleisio Ydw), ${PHRASE[q].cy}: ${met(t.met).cy}`,
    );
  }
  const supported = r.evaluation.mandateFor.map((q) => PHRASE[kindOf(q)]);
  return {
    ballot: r.ballotName,
    closing_date_en: ukDate(r.closingDate, MONTHS_EN),
    closing_date_cy: ukDate(r.closingDate, MONTHS_CY),
    entitled: count(r.entitled),
    votes_cast: count(r.votesCast),
    turnout: `${r.evaluation.turnoutPercent.toLocaleString("en-GB", { maximumFractionDigits: 2 })}%`,
    questions: r.questions.map((q) => {
      const k = kindOf(q.question);
      return {
        label_en: LABEL[k].en,
        label_cy: LABEL[k].cy,
        yes: count(q.yes),
        no: count(q.no),
        spoilt: count(q.spoilt ?? r.votesCast - q.yes - q.no),
      };
    }),
    thresholds_en,
    thresholds_cy,
    outcome_en:
      r.evaluation.mandate && supported.length
        ? `The ballot supports ${supported.map((p) => p.en).join(" and ")}.`
        : "The ballot does not support industrial action.",
    outcome_cy:
      r.evaluation.mandate && supported.length
        ? `Mae'r bleidlais yn cefnogi ${supported.map((p) => p.cy).join(" a ")}.`
        : "Nid yw'r bleidlais yn cefnogi gweithredu diwydiannol.",
  };
}

/** Fields for checking the wording renders (and previews): a two-question result. */
export const SAMPLE_RESULT: ResultFields = resultFields({
  ballotId: 0,
  ballotName: "Example Hospital",
  closingDate: "2027-01-04",
  entitled: 1200,
  votesCast: 730,
  questions: [
    { question: "strike", yes: 560, no: 165, spoilt: 5 },
    { question: "action_short_of_strike", yes: 600, no: 125, spoilt: 5 },
  ],
  evaluation: {
    turnoutPercent: 60.83,
    mandate: true,
    mandateFor: ["strike", "action_short_of_strike"],
    tests: [
      { name: "turnout", question: null, met: true },
      { name: "important_public_services_40", question: "strike", met: true },
    ],
  },
});

/** The standard wording per channel and language: subject (email) and body, with Liquid merge fields. */
export function resultNoticeWording(
  channel: Channel,
  language: Language,
): { subject: string | null; body: string } {
  const en = language === "en";
  const figures = en
    ? `Entitled to vote: {{ result.entitled }}
Votes cast: {{ result.votes_cast }} (turnout {{ result.turnout }})
{% for q in result.questions %}{{ q.label_en }}: Yes {{ q.yes }}, No {{ q.no }}, spoiled or otherwise invalid voting papers {{ q.spoilt }}
{% endfor %}`
    : `Â hawl i bleidleisio: {{ result.entitled }}
Pleidleisiau a fwriwyd: {{ result.votes_cast }} (y nifer a bleidleisiodd {{ result.turnout }})
{% for q in result.questions %}{{ q.label_cy }}: Ydw {{ q.yes }}, Nac ydw {{ q.no }}, papurau pleidleisio a ddifethwyd neu sy'n annilys fel arall {{ q.spoilt }}
{% endfor %}`;
  const thresholds = `{% for t in result.thresholds_${language} %}{{ t }}
{% endfor %}`;
  if (channel === "sms") {
    return {
      subject: null,
      body: en
        ? `{{ union.name }}: result of the ballot {{ result.ballot }}, closed {{ result.closing_date_en }}. Entitled to vote {{ result.entitled }}; votes cast {{ result.votes_cast }} ({{ result.turnout }}).{% for q in result.questions %} {{ q.label_en }}: Yes {{ q.yes }}, No {{ q.no }}, spoiled or invalid {{ q.spoilt }}.{% endfor %}{% for t in result.thresholds_en %} {{ t }}.{% endfor %} {{ result.outcome_en }}`
        : `{{ union.name }}: canlyniad y bleidlais {{ result.ballot }}, a gaeodd {{ result.closing_date_cy }}. Â hawl i bleidleisio {{ result.entitled }}; pleidleisiau a fwriwyd {{ result.votes_cast }} ({{ result.turnout }}).{% for q in result.questions %} {{ q.label_cy }}: Ydw {{ q.yes }}, Nac ydw {{ q.no }}, wedi'u difetha neu'n annilys {{ q.spoilt }}.{% endfor %}{% for t in result.thresholds_cy %} {{ t }}.{% endfor %} {{ result.outcome_cy }}`,
    };
  }
  const body = en
    ? `Dear {{ member.forename }},

This is the result of the ballot on industrial action in which you were entitled to vote: {{ result.ballot }}, which closed on {{ result.closing_date_en }}. The law (section 231 of the Trade Union and Labour Relations (Consolidation) Act 1992) requires the union to tell every member who was entitled to vote.

${figures}

${thresholds}

{{ result.outcome_en }}`
    : `Annwyl {{ member.forename }},

Dyma ganlyniad y bleidlais ar weithredu diwydiannol yr oedd gennych hawl i bleidleisio ynddi: {{ result.ballot }}, a gaeodd ar {{ result.closing_date_cy }}. Mae'r gyfraith (adran 231 o Ddeddf Undebau Llafur a Chysylltiadau Llafur (Cydgrynhoi) 1992) yn ei gwneud yn ofynnol i'r undeb ddweud wrth bob aelod a oedd â hawl i bleidleisio.

${figures}

${thresholds}

{{ result.outcome_cy }}`;
  return {
    subject:
      channel === "email"
        ? en
          ? "Ballot result: {{ result.ballot }}"
          : "Canlyniad y bleidlais: {{ result.ballot }}"
        : null,
    body,
  };
}
