/**
 * Does a ballot give a mandate? The threshold tests of the regime in force on
 * the opening day, each with its figures, its citation and whatever in it still
 * needs legal review. The CLI, the API and the web app all call this one
 * function.
 */
import { AppError } from "../shared/errors.js";
import { addDays, type IsoDate, lastDayOfMonthsBeginningWith } from "./dates.js";
import {
  type CommencementOverrides,
  type CommencementSources,
  regimeIn,
  ruleAt,
  type SwitchState,
  switchAt,
} from "./lookup.js";
import { lawSet } from "./ni.js";
import {
  type Jurisdiction,
  MAJORITY,
  MANDATE_PERIOD,
  type MandatePeriod,
  REGIMES,
  type RegimeId,
  SCRUTINEER,
  TURNOUT,
  WALES_DISAPPLICATION,
} from "./rules.js";

export type QuestionKind = "strike" | "action_short_of_strike";

export interface QuestionCount {
  question: QuestionKind;
  yes: number;
  no: number;
  /** Papers returned but spoilt or invalid for this question; when omitted, votes cast − yes − no. */
  spoilt?: number | null;
}

export interface EvaluateInput {
  openingDate: IsoDate;
  /** The date of the ballot (s.246: the last day votes may be cast); needed to date the mandate. */
  closingDate?: IsoDate | null;
  entitled: number;
  /** Every paper returned, spoilt ones included (practice, see the turnout test). */
  votesCast: number;
  questions: QuestionCount[];
  /** The union's reasonable belief that most of those entitled normally work in important public services. */
  importantPublicServices: boolean;
  /** The employer is a devolved Welsh public authority. */
  walesDevolved: boolean;
  commencements?: CommencementOverrides;
  /** The legal source recorded with each of the union's commencement dates. */
  commencementSources?: CommencementSources;
  /** Great Britain (TULRCA 1992) unless "ni": the Trade Union and Labour Relations (NI) Order 1995. */
  jurisdiction?: Jurisdiction;
}

/** A commencement date the union recorded that the verdict relied on, with its source. */
export interface AppliedCommencement {
  id: string;
  title: string;
  commencedOn: IsoDate | null;
  source: string;
}

export type TestName = "turnout" | "majority" | "important_public_services_40";

export interface ThresholdTest {
  name: TestName;
  /** Null for the turnout test, which is for the ballot as a whole. */
  question: QuestionKind | null;
  met: boolean;
  figures: Record<string, number>;
  rule: string;
  citation: string;
  unconfirmed: string | null;
}

export interface NotApplicable {
  name: TestName;
  reason: string;
  citation: string;
}

export interface LegalReviewItem {
  rule: string;
  reason: string;
}

export interface MandateDates {
  rule: string;
  citation: string;
  period: MandatePeriod;
  /** Regime A: the last day action may begin; B and C: the last day of the mandate. Null without a closing date. */
  lastDay: IsoDate | null;
  lastDayByAgreement: IsoDate | null;
  /** Regime A: the latest a court may extend the start to. */
  courtLimit: IsoDate | null;
  /** Why the dates need legal review (a month with no corresponding day, decision 0012), or null. */
  unconfirmed: string | null;
}

export const MONTH_END_REVIEW =
  'The period of months ends in a month with no day of the same number as the date of the ballot: Mandate ends it on that month\'s last day (decision 0012; Dodds v Walker [1981] 1 WLR 1441 HL, Zoan v Rouamba [2000] 1 WLR 1509 CA), but no case decides a period "beginning with" a day in that case.';

export interface Evaluation {
  jurisdiction: Jurisdiction;
  regime: RegimeId;
  regimeName: string;
  openingDate: IsoDate;
  entitled: number;
  votesCast: number;
  turnoutPercent: number;
  mandate: boolean;
  /** The kinds of action the ballot supports. */
  mandateFor: QuestionKind[];
  tests: ThresholdTest[];
  notApplicable: NotApplicable[];
  mandatePeriod: MandateDates;
  scrutineerRequired: boolean;
  legalReview: LegalReviewItem[];
  /** The union's recorded commencement dates the verdict relied on (decision 0013). */
  commencements: AppliedCommencement[];
}

const C_START = REGIMES.find((r) => r.id === "C")!.from;

/** Percent with two decimals, for people; the tests themselves use exact integer arithmetic. */
function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
}

/** "At least p%": inclusive, exact in integers. */
function atLeastPercent(part: number, whole: number, percent: number): boolean {
  return part * 100 >= whole * percent;
}

function neededFor(whole: number, percent: number): number {
  return Math.ceil((whole * percent) / 100);
}

function invalid(message: string, details: Record<string, unknown>): never {
  throw new AppError("law.invalid_figures", message, details);
}

function checkFigures(
  input: EvaluateInput,
): { question: QuestionKind; yes: number; no: number; spoilt: number }[] {
  const { entitled, votesCast } = input;
  for (const [name, v] of Object.entries({ entitled, votesCast })) {
    if (!Number.isInteger(v) || v < 0) invalid(`${name} must be a whole number, 0 or more.`, { [name]: v });
  }
  if (entitled === 0) invalid("No one is entitled to vote: there is no ballot to evaluate.", { entitled });
  if (votesCast > entitled) {
    invalid(`Votes cast (${votesCast}) exceed the number entitled to vote (${entitled}).`, {
      entitled,
      votesCast,
    });
  }
  if (input.questions.length === 0) invalid("Give the Yes and No counts of at least one question.", {});
  const seen = new Set<QuestionKind>();
  return input.questions.map((q) => {
    if (seen.has(q.question)) invalid(`The ${q.question} question is given twice.`, { question: q.question });
    seen.add(q.question);
    for (const [name, v] of Object.entries({ yes: q.yes, no: q.no, spoilt: q.spoilt ?? 0 })) {
      if (!Number.isInteger(v) || v < 0) {
        invalid(`${name} must be a whole number, 0 or more.`, { question: q.question, [name]: v });
      }
    }
    const spoilt = q.spoilt ?? votesCast - q.yes - q.no;
    if (spoilt < 0 || q.yes + q.no + spoilt !== votesCast) {
      invalid(
        q.spoilt == null
          ? `Yes (${q.yes}) and No (${q.no}) add up to more than the votes cast (${votesCast}).`
          : `Yes (${q.yes}) + No (${q.no}) + spoilt (${spoilt}) = ${q.yes + q.no + spoilt}, not the ${votesCast} votes cast; votes cast counts every paper returned, spoilt ones included.`,
        { question: q.question, yes: q.yes, no: q.no, spoilt, votesCast },
      );
    }
    return { question: q.question, yes: q.yes, no: q.no, spoilt };
  });
}

export function mandateDates(
  openingDate: IsoDate,
  closingDate: IsoDate | null,
  jurisdiction: Jurisdiction = "gb",
): MandateDates {
  const rule = ruleAt(lawSet(jurisdiction).mandatePeriod, openingDate)!;
  const period = rule.value;
  const base = { rule: rule.summary, citation: rule.citation, period };
  if (!closingDate) {
    return {
      ...base,
      lastDay: null,
      lastDayByAgreement: null,
      courtLimit: null,
      unconfirmed: rule.unconfirmed,
    };
  }
  // s.234(1): periods run "beginning with the date of the ballot", so the ballot day is day one.
  if (period.kind === "begin_within") {
    return {
      ...base,
      lastDay: addDays(closingDate, period.weeks * 7 - 1),
      lastDayByAgreement: addDays(closingDate, period.byAgreementWeeks * 7 - 1),
      courtLimit: addDays(closingDate, period.courtMaxWeeks * 7 - 1),
      unconfirmed: rule.unconfirmed,
    };
  }
  const main = lastDayOfMonthsBeginningWith(closingDate, period.months);
  const agreed =
    period.byAgreementMonths === null
      ? null
      : lastDayOfMonthsBeginningWith(closingDate, period.byAgreementMonths);
  return {
    ...base,
    lastDay: main.lastDay,
    lastDayByAgreement: agreed?.lastDay ?? null,
    courtLimit: null,
    unconfirmed: main.noCorrespondingDay || agreed?.noCorrespondingDay ? MONTH_END_REVIEW : rule.unconfirmed,
  };
}

export const SPOILT_MAJORITY_REVIEW = (question: QuestionKind, yes: number, votesCast: number) =>
  `The verdict on the ${question.replaceAll("_", " ")} question depends on how spoilt papers are counted (decision 0011): Mandate compares Yes with No among valid answers, but if "the majority voting in the ballot" counts every paper returned, ${yes} Yes is not more than half of the ${votesCast} papers returned and there is no mandate for it.`;

export const SPOILT_TURNOUT_REVIEW =
  "The turnout is met only by counting spoilt papers as votes cast (decision 0011): practice does, but the statute does not say; without them there is no mandate.";

/**
 * Decision 0011: turnout counts every paper returned; the majority compares Yes with No among the valid
 * answers to the question. A verdict that the other readings would change (spoilt papers counted as voting
 * for the majority too, or for neither test) is flagged for legal review, and only such a verdict.
 */
function spoiltPaperReview(
  questions: { question: QuestionKind; yes: number; no: number; spoilt: number }[],
  votesCast: number,
  mandateFor: QuestionKind[],
  /** Null where no turnout test applies. */
  turnoutWithoutSpoilt: boolean | null,
  review: (rule: string, reason: string) => void,
): void {
  if (mandateFor.length === 0) return; // both other readings are stricter: they cannot turn "no" into "yes"
  if (turnoutWithoutSpoilt === false) review(TURNOUT.id, SPOILT_TURNOUT_REVIEW);
  for (const q of questions) {
    if (mandateFor.includes(q.question) && q.spoilt > 0 && q.yes * 2 <= votesCast) {
      review(MAJORITY.id, SPOILT_MAJORITY_REVIEW(q.question, q.yes, votesCast));
    }
  }
}

export function evaluateBallot(input: EvaluateInput): Evaluation {
  const questions = checkFigures(input);
  const { openingDate, entitled, votesCast } = input;
  const jurisdiction = input.jurisdiction ?? "gb";
  const law = lawSet(jurisdiction);
  const regime = regimeIn(openingDate, jurisdiction);
  const closingDate = input.closingDate ?? null;
  if (closingDate !== null && closingDate < openingDate) {
    invalid(`The ballot closes (${closingDate}) before it opens (${openingDate}).`, {
      openingDate,
      closingDate,
    });
  }
  const tests: ThresholdTest[] = [];
  const notApplicable: NotApplicable[] = [];
  const legalReview: LegalReviewItem[] = [];
  const review = (rule: string, reason: string | null): void => {
    if (reason && !legalReview.some((r) => r.rule === rule && r.reason === reason))
      legalReview.push({ rule, reason });
  };

  // Turnout: for the ballot as a whole. Decision 0011: every paper returned counts, spoilt ones included.
  let turnoutWithoutSpoilt: boolean | null = null;
  const turnout = ruleAt(law.turnout, openingDate)!;
  const repeal = switchAt(
    "turnout_threshold_repeal",
    openingDate,
    input.commencements,
    input.commencementSources,
  );
  const commencements: AppliedCommencement[] = [];
  const applied = (s: SwitchState) => {
    if (s.recordedSource !== null)
      commencements.push({ id: s.id, title: s.title, commencedOn: s.commencedOn, source: s.recordedSource });
  };
  if (turnout.value !== null) applied(repeal);
  if (turnout.value === null) {
    notApplicable.push({ name: "turnout", reason: turnout.summary, citation: turnout.citation });
  } else if (repeal.inForce) {
    notApplicable.push({
      name: "turnout",
      reason: `${repeal.title} in force from ${repeal.commencedOn}${repeal.recordedSource ? ` (recorded by the union: ${repeal.recordedSource})` : ""}.`,
      citation: repeal.citation,
    });
    review(repeal.id, repeal.unconfirmed);
  } else {
    const spoiltEverywhere = Math.min(...questions.map((q) => q.spoilt));
    const met = atLeastPercent(votesCast, entitled, turnout.value.percent);
    tests.push({
      name: "turnout",
      question: null,
      met,
      figures: {
        entitled,
        votesCast,
        turnoutPercent: pct(votesCast, entitled),
        thresholdPercent: turnout.value.percent,
        votesNeeded: neededFor(entitled, turnout.value.percent),
      },
      rule: turnout.summary,
      citation: turnout.citation,
      unconfirmed: turnout.unconfirmed,
    });
    review(TURNOUT.id, turnout.unconfirmed);
    turnoutWithoutSpoilt = atLeastPercent(votesCast - spoiltEverywhere, entitled, turnout.value.percent);
  }

  const majority = ruleAt(law.majority, openingDate)!;
  const support = ruleAt(law.support, openingDate)!;
  const wales = law.wales ? ruleAt(law.wales, openingDate) : null;
  let supportApplies = false;
  if (support.value === null) {
    notApplicable.push({
      name: "important_public_services_40",
      reason: support.summary,
      citation: support.citation,
    });
  } else if (!input.importantPublicServices) {
    notApplicable.push({
      name: "important_public_services_40",
      reason: "The union does not believe most of those entitled normally work in important public services.",
      citation: support.citation,
    });
  } else if (input.walesDevolved && wales?.value) {
    notApplicable.push({
      name: "important_public_services_40",
      reason: wales.summary,
      citation: wales.citation,
    });
    review(WALES_DISAPPLICATION.id, wales.unconfirmed);
  } else {
    supportApplies = true;
  }

  const mandateFor: QuestionKind[] = [];
  for (const q of questions) {
    const passes: boolean[] = [];
    const majorityMet = q.yes > q.no;
    passes.push(majorityMet);
    tests.push({
      name: "majority",
      question: q.question,
      met: majorityMet,
      figures: {
        yes: q.yes,
        no: q.no,
        spoilt: q.spoilt,
        yesPercentOfVotesCast: pct(q.yes, votesCast),
        yesPercentOfYesAndNo: pct(q.yes, q.yes + q.no),
      },
      rule: majority.summary,
      citation: majority.citation,
      unconfirmed: majority.unconfirmed,
    });
    if (supportApplies && support.value) {
      const met = atLeastPercent(q.yes, entitled, support.value.percent);
      passes.push(met);
      tests.push({
        name: "important_public_services_40",
        question: q.question,
        met,
        figures: {
          yes: q.yes,
          entitled,
          yesPercentOfEntitled: pct(q.yes, entitled),
          thresholdPercent: support.value.percent,
          yesNeeded: neededFor(entitled, support.value.percent),
        },
        rule: support.summary,
        citation: support.citation,
        unconfirmed: support.unconfirmed,
      });
    }
    const turnoutOk = tests.every((t) => t.name !== "turnout" || t.met);
    if (turnoutOk && passes.every(Boolean)) mandateFor.push(q.question);
  }
  spoiltPaperReview(questions, votesCast, mandateFor, turnoutWithoutSpoilt, review);

  const mandatePeriod = mandateDates(openingDate, closingDate, jurisdiction);
  review(MANDATE_PERIOD.id, mandatePeriod.unconfirmed);
  if (jurisdiction === "gb" && openingDate < C_START) {
    const end = mandatePeriod.lastDayByAgreement ?? mandatePeriod.lastDay;
    if ((closingDate !== null && closingDate >= C_START) || (end !== null && end >= C_START)) {
      review(
        MANDATE_PERIOD.id,
        "The ballot opened before 18 February 2026 and runs or keeps its mandate past that date: the transitional rule for the mandate period is not confirmed.",
      );
    }
  }

  const scrutineer = ruleAt(law.scrutineer, openingDate)!;
  const scrutineerRequired = entitled > scrutineer.value.requiredAbove;
  if (scrutineerRequired) review(SCRUTINEER.id, scrutineer.unconfirmed);

  return {
    jurisdiction,
    regime: regime.id,
    regimeName: regime.name,
    openingDate,
    entitled,
    votesCast,
    turnoutPercent: pct(votesCast, entitled),
    mandate: mandateFor.length > 0,
    mandateFor,
    tests,
    notApplicable,
    mandatePeriod,
    scrutineerRequired,
    legalReview,
    commencements,
  };
}
