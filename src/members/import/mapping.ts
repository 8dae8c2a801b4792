/**
 * Which column holds which member field. Exports from membership systems,
 * payroll check-off lists and branch spreadsheets name the same thing a dozen
 * ways ("Membership No", "Mem No", "Member #"), so headers are compared as
 * keys: lower case, letters and digits only, "number"/"num"/"#" all read as
 * "no". Matching runs in three passes, most certain first, so a header is
 * never claimed by a loose rule when an exact one exists elsewhere.
 */

export const MEMBER_IMPORT_FIELDS = [
  "membershipNumber",
  "title",
  "forenames",
  "surname",
  "fullName",
  "dateOfBirth",
  "addressLine1",
  "addressLine2",
  "addressLine3",
  "town",
  "county",
  "homePostcode",
  "email",
  "mobile",
  "phone",
  "employer",
  "workplace",
  "jobTitle",
  "jobCategory",
  "branch",
  "region",
  "status",
  "paymentMethod",
  "inArrears",
  "joinedOn",
  "leftOn",
  "consentEmail",
  "consentSms",
] as const;

export type MemberImportField = (typeof MEMBER_IMPORT_FIELDS)[number];

/** field -> header as in the file */
export type ColumnMapping = Partial<Record<MemberImportField, string>>;

export interface MappingResult {
  mapping: ColumnMapping;
  unmappedHeaders: string[];
  /** membershipNumber, and a name: fullName, or both forenames and surname. */
  missingRequired: MemberImportField[];
}

interface FieldRule {
  /** Headers that mean this field. */
  exact: string[];
  /** Headers that mean it only when nothing else does ("Address 4" is the town only without a Town column). */
  fallback?: string[];
  /** A pattern on the key that suggests the field, unless `unless` matches too ("Work Postcode" is no home postcode). */
  contains?: RegExp;
  unless?: RegExp;
}

const RULES: Record<MemberImportField, FieldRule> = {
  membershipNumber: {
    exact: [
      "Membership No",
      "Membership Number",
      "Member No",
      "Member Number",
      "Mem No",
      "Memb No",
      "Membership ID",
      "Member ID",
      "Mem ID",
      "Member Ref",
      "Membership Ref",
      "Membership Reference",
      "Member Reference",
      "Union No",
      "Union Membership No",
      "Ref No",
      "M No",
    ],
    contains: /memberno|membershipno|memno/,
  },
  title: { exact: ["Title", "Salutation", "Honorific"] },
  forenames: {
    exact: [
      "Forename",
      "Forenames",
      "First Name",
      "First Names",
      "Firstname",
      "Given Name",
      "Given Names",
      "Christian Name",
      "FName",
      "First",
      "Member Forename",
      "Member Forenames",
      "Member First Name",
    ],
    contains: /forename|firstname|givenname/,
  },
  surname: {
    exact: ["Surname", "Last Name", "Lastname", "Family Name", "LName", "Last", "SName", "Member Surname"],
    contains: /surname|lastname|familyname/,
    unless: /forename|firstname|previous|former|maiden/,
  },
  fullName: {
    exact: [
      "Name",
      "Full Name",
      "Member Name",
      "Members Name",
      "Name of Member",
      "Surname, Forename",
      "Surname, Forenames",
      "Surname, First Name",
      "Forename Surname",
      "First Name Surname",
      "Contact Name",
    ],
  },
  dateOfBirth: {
    exact: ["DOB", "Date of Birth", "Birth Date", "Birthdate", "Birthday", "Born", "D.O.B."],
    contains: /dob|dateofbirth|birthdate/,
  },
  addressLine1: {
    exact: [
      "Address 1",
      "Address Line 1",
      "Addr 1",
      "Addr Line 1",
      "Add 1",
      "Address1",
      "Address",
      "Home Address",
      "Home Address 1",
      "Home Address Line 1",
      "Street",
      "Line 1",
      "First Line of Address",
    ],
  },
  addressLine2: {
    exact: [
      "Address 2",
      "Address Line 2",
      "Addr 2",
      "Addr Line 2",
      "Add 2",
      "Home Address 2",
      "Home Address Line 2",
      "Line 2",
      "Locality",
    ],
  },
  addressLine3: {
    exact: ["Address 3", "Address Line 3", "Addr 3", "Addr Line 3", "Add 3", "Home Address 3", "Line 3"],
  },
  town: {
    exact: ["Town", "City", "Town/City", "City/Town", "Post Town", "Home Town", "Town or City"],
    fallback: ["Address 4", "Address Line 4", "Addr 4", "Addr Line 4", "Line 4"],
  },
  county: {
    exact: ["County", "Home County"],
    fallback: ["Address 5", "Address Line 5", "Addr 5", "Addr Line 5", "Line 5"],
  },
  homePostcode: {
    exact: [
      "Postcode",
      "Post Code",
      "Home Postcode",
      "Home Post Code",
      "Postal Code",
      "Zip",
      "Zip Code",
      "PCode",
      "PC",
      "Address Postcode",
    ],
    contains: /postcode/,
    unless: /work|employer|site|office|location|branch/,
  },
  email: {
    exact: [
      "Email",
      "Email Address",
      "Personal Email",
      "Home Email",
      "Email (Personal)",
      "Personal Email Address",
    ],
    fallback: ["Work Email", "Work Email Address", "Email (Work)", "Business Email"],
    contains: /email/,
    unless: /consent|opt|ok|permission|allowed|contact|marketing|work/,
  },
  mobile: {
    exact: [
      "Mobile",
      "Mobile No",
      "Mobile Phone",
      "Mobile Tel",
      "Mobile Telephone",
      "Mob",
      "Mob No",
      "Cell",
      "Cell Phone",
      "Tel (Mobile)",
      "Personal Mobile",
      "SMS No",
      "Mobile/Cell",
    ],
    contains: /mobile/,
    unless: /consent|opt|ok|permission|work/,
  },
  phone: {
    exact: [
      "Phone",
      "Telephone",
      "Tel",
      "Tel No",
      "Phone No",
      "Home Phone",
      "Home Tel",
      "Home Telephone",
      "Landline",
      "Telephone No",
      "Contact No",
      "Home Phone No",
    ],
  },
  employer: {
    exact: [
      "Employer",
      "Employer Name",
      "Employing Organisation",
      "Employing Organization",
      "Employing Body",
      "Employing Authority",
      "Organisation",
      "Organization",
      "Company",
      "Employer/Trust",
      "Trust",
    ],
    contains: /employer/,
    unless: /(code|id|no|ref)$|postcode|address|contact/,
  },
  workplace: {
    exact: [
      "Workplace",
      "Workplace Name",
      "Work Place",
      "Work Location",
      "Work Base",
      "Work Site",
      "Site",
      "Site Name",
      "Location",
      "Base",
      "Place of Work",
      "Establishment",
      "Workplace/Site",
    ],
    contains: /workplace/,
    unless: /(code|id|no|ref)$|postcode|address|rep/,
  },
  jobTitle: {
    exact: [
      "Job Title",
      "Job",
      "Position",
      "Role",
      "Occupation",
      "Post",
      "Job Role",
      "Post Title",
      "Designation",
    ],
    contains: /jobtitle/,
  },
  jobCategory: {
    exact: [
      "Job Category",
      "Category",
      "Staff Group",
      "Occupation Group",
      "Occupational Group",
      "Job Group",
      "Job Family",
    ],
  },
  branch: {
    exact: ["Branch", "Branch Name", "Branch Code", "Branch No"],
    contains: /branch/,
    unless: /secretary|rep|contact|email|phone/,
  },
  region: {
    exact: ["Region", "Region Name", "Region Code"],
    contains: /region/,
    unless: /secretary|officer|contact|email|phone/,
  },
  status: {
    exact: ["Status", "Member Status", "Membership Status", "Mem Status", "Current Status"],
    contains: /status/,
    unless: /employment|marital|payment|consent|arrears/,
  },
  paymentMethod: {
    exact: [
      "Payment Method",
      "Pay Method",
      "Payment Type",
      "Pay Type",
      "Method of Payment",
      "Payment",
      "Paid By",
      "Subs Method",
      "Subscription Method",
      "How Paid",
    ],
  },
  inArrears: { exact: ["In Arrears", "Arrears", "Arrears Flag", "In Arrears (Y/N)", "Arrears (Y/N)"] },
  joinedOn: {
    exact: [
      "Joined",
      "Join Date",
      "Date Joined",
      "Joined On",
      "Joined Date",
      "Joining Date",
      "Date of Joining",
      "Membership Start Date",
      "Member Since",
      "Start of Membership",
    ],
  },
  leftOn: {
    exact: [
      "Left",
      "Left Date",
      "Date Left",
      "Left On",
      "Leaving Date",
      "Date of Leaving",
      "Membership End Date",
      "Resigned Date",
      "Date Resigned",
      "Ceased Date",
      "Date Ceased",
    ],
  },
  consentEmail: {
    exact: [
      "Consent Email",
      "Email Consent",
      "Email Opt In",
      "Opt In Email",
      "Email OK",
      "Contact by Email",
      "Email Permission",
      "Email Marketing",
    ],
  },
  consentSms: {
    exact: [
      "Consent SMS",
      "SMS Consent",
      "SMS Opt In",
      "Opt In SMS",
      "Text Consent",
      "SMS OK",
      "Contact by SMS",
      "Contact by Text",
      "Text Opt In",
      "SMS Permission",
    ],
  },
};

const NUMBER_WORDS = new Set(["number", "num", "nbr", "nos", "no"]);

/** A header as a comparison key: "Membership No." -> "membershipno", "E-mail" -> "email", "memberNumber" -> "memberno". */
export function headerKey(header: string): string {
  return header
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/#/g, " no ")
    .replace(/&/g, " and ")
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((t) => (NUMBER_WORDS.has(t) ? "no" : t))
    .join("");
}

type Pass = "exact" | "fallback";
const KEYED: Record<Pass, Map<string, MemberImportField>> = { exact: new Map(), fallback: new Map() };
for (const field of MEMBER_IMPORT_FIELDS) {
  for (const pass of ["exact", "fallback"] as const) {
    for (const header of RULES[field][pass] ?? []) {
      const key = headerKey(header);
      const taken = KEYED[pass].get(key);
      if (taken && taken !== field)
        throw new Error(`Header "${header}" is claimed by ${taken} and ${field}.`);
      KEYED[pass].set(key, field);
    }
  }
}

function requiredMissing(mapping: ColumnMapping, present: Set<string>): MemberImportField[] {
  const has = (f: MemberImportField) => mapping[f] !== undefined && present.has(mapping[f]);
  const missing: MemberImportField[] = [];
  if (!has("membershipNumber")) missing.push("membershipNumber");
  if (!has("fullName")) {
    if (!has("forenames")) missing.push("forenames");
    if (!has("surname")) missing.push("surname");
  }
  return missing;
}

/**
 * Auto-detects the mapping of `headers`. `overrides` win: a field given there
 * takes that header (matched exactly, else by key), and a field given as ""
 * is left unmapped even if a header looks like it.
 */
export function detectMapping(headers: string[], overrides: ColumnMapping = {}): MappingResult {
  const mapping: ColumnMapping = {};
  const taken = new Set<number>();
  const blocked = new Set<MemberImportField>();
  const keys = headers.map(headerKey);

  for (const field of MEMBER_IMPORT_FIELDS) {
    if (!Object.hasOwn(overrides, field)) continue;
    const wanted = overrides[field];
    blocked.add(field);
    if (!wanted) continue;
    let index = headers.indexOf(wanted);
    if (index < 0) index = keys.indexOf(headerKey(wanted));
    if (index >= 0) taken.add(index);
    // A header that is not in the file stays in the mapping, so a caller sees
    // what was asked for; missingRequired still reports the field.
    mapping[field] = index >= 0 ? headers[index]! : wanted;
  }

  const assign = (index: number, field: MemberImportField | undefined) => {
    if (!field || blocked.has(field) || mapping[field] !== undefined || taken.has(index)) return;
    mapping[field] = headers[index]!;
    taken.add(index);
  };
  for (const pass of ["exact", "fallback"] as const) {
    keys.forEach((key, i) => {
      assign(i, KEYED[pass].get(key));
    });
  }
  keys.forEach((key, i) => {
    if (!key || taken.has(i)) return;
    for (const field of MEMBER_IMPORT_FIELDS) {
      const rule = RULES[field];
      if (!rule.contains?.test(key) || rule.unless?.test(key)) continue;
      if (blocked.has(field) || mapping[field] !== undefined) continue;
      assign(i, field);
      break;
    }
  });

  const unmappedHeaders = headers.filter((h, i) => !taken.has(i) && h.trim() !== "");
  return { mapping, unmappedHeaders, missingRequired: requiredMissing(mapping, new Set(headers)) };
}

/** Enough mapped columns to say this row is the header: a membership number and a name, or any three fields. */
export function looksLikeHeader(cells: string[], overrides: ColumnMapping = {}): boolean {
  if (cells.filter((c) => c.trim()).length < 2) return false;
  const { mapping } = detectMapping(cells, overrides);
  const present = new Set(cells);
  const mapped = (Object.keys(mapping) as MemberImportField[]).filter((f) => present.has(mapping[f]!));
  const hasName = mapped.some((f) => f === "fullName" || f === "surname" || f === "forenames");
  return (mapped.includes("membershipNumber") && hasName) || mapped.length >= 3;
}
