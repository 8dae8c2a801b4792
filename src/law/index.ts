export * from "./dates.js";
export * from "./evaluate.js";
export { DeadlineDto, EvaluationDto, LawDate, QuestionKindSchema } from "./law.model.js";
export * from "./lookup.js";
export * from "./methods.js";
export * from "./ni.js";
export * from "./rules.js";
export * from "./timetable.js";
export { dayNote, type Nation, receiptWarnings } from "./working-days.js";
