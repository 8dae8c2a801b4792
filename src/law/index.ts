export * from "./dates.js";
export * from "./evaluate.js";
export * from "./lookup.js";
export * from "./methods.js";
export * from "./ni.js";
export * from "./rules.js";
export * from "./timetable.js";
