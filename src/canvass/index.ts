/** Contact lists for reps during a ballot, contacts, assignments, call sheets and members' positions. What other parts of the application import from here. */
export type { AssignmentDto, ContactDto, ListPageDto, PositionDto } from "./canvass.model.js";
export { contactList, logContact, memberPosition, recordPosition } from "./canvass.service.js";
