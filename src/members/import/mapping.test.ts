import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ColumnMapping, detectMapping, headerKey, MEMBER_IMPORT_FIELDS } from "./index.js";

/** Header rows as real exports write them: membership systems, payroll check-off lists, branch spreadsheets. */
const CASES: { name: string; headers: string[]; expect: ColumnMapping; unmapped?: string[] }[] = [
  {
    name: "membership system export",
    headers: [
      "Membership No",
      "Title",
      "Forename(s)",
      "Surname",
      "DOB",
      "Address 1",
      "Addr Line 2",
      "Address 3",
      "Town",
      "County",
      "Post Code",
      "E-mail",
      "Mobile No",
      "Employer Name",
      "Work Location",
      "Job Title",
      "Branch",
      "Region",
      "Status",
      "Pay Method",
    ],
    expect: {
      membershipNumber: "Membership No",
      title: "Title",
      forenames: "Forename(s)",
      surname: "Surname",
      dateOfBirth: "DOB",
      addressLine1: "Address 1",
      addressLine2: "Addr Line 2",
      addressLine3: "Address 3",
      town: "Town",
      county: "County",
      homePostcode: "Post Code",
      email: "E-mail",
      mobile: "Mobile No",
      employer: "Employer Name",
      workplace: "Work Location",
      jobTitle: "Job Title",
      branch: "Branch",
      region: "Region",
      status: "Status",
      paymentMethod: "Pay Method",
    },
    unmapped: [],
  },
  {
    name: "check-off list from payroll",
    headers: [
      "Member Number",
      "Last name",
      "First Name",
      "Date of Birth",
      "Postcode",
      "Employer",
      "Site",
      "Payment Method",
    ],
    expect: {
      membershipNumber: "Member Number",
      surname: "Last name",
      forenames: "First Name",
      dateOfBirth: "Date of Birth",
      homePostcode: "Postcode",
      employer: "Employer",
      workplace: "Site",
      paymentMethod: "Payment Method",
    },
  },
  {
    name: "branch spreadsheet, one name column",
    headers: ["Mem No", "Name", "Address", "Postcode", "Email", "Mobile", "Workplace", "Notes"],
    expect: {
      membershipNumber: "Mem No",
      fullName: "Name",
      addressLine1: "Address",
      homePostcode: "Postcode",
      email: "Email",
      mobile: "Mobile",
      workplace: "Workplace",
    },
    unmapped: ["Notes"],
  },
  {
    name: "shouting capitals, odd punctuation and spacing",
    headers: [
      "MEMBERSHIP NO.",
      "SURNAME",
      "FORENAMES",
      "D.O.B.",
      "POST  CODE",
      "E MAIL",
      "TEL (MOBILE)",
      "JOB  TITLE",
    ],
    expect: {
      membershipNumber: "MEMBERSHIP NO.",
      surname: "SURNAME",
      forenames: "FORENAMES",
      dateOfBirth: "D.O.B.",
      homePostcode: "POST  CODE",
      email: "E MAIL",
      mobile: "TEL (MOBILE)",
      jobTitle: "JOB  TITLE",
    },
  },
  {
    name: "camelCase from an API dump",
    headers: [
      "membershipNumber",
      "firstName",
      "lastName",
      "dateOfBirth",
      "postCode",
      "emailAddress",
      "mobileNumber",
    ],
    expect: {
      membershipNumber: "membershipNumber",
      forenames: "firstName",
      surname: "lastName",
      dateOfBirth: "dateOfBirth",
      homePostcode: "postCode",
      email: "emailAddress",
      mobile: "mobileNumber",
    },
  },
  {
    name: "snake_case from a database",
    headers: [
      "member_no",
      "forename",
      "surname",
      "birth_date",
      "home_postcode",
      "work_email",
      "employer_name",
      "status",
    ],
    expect: {
      membershipNumber: "member_no",
      forenames: "forename",
      surname: "surname",
      dateOfBirth: "birth_date",
      homePostcode: "home_postcode",
      // No personal email column: the work one is better than none (and is flagged per row).
      email: "work_email",
      employer: "employer_name",
      status: "status",
    },
  },
  {
    name: "'Surname, Forename' column and hash for number",
    headers: ["Member #", "Surname, Forename", "Post Code", "Employer"],
    expect: {
      membershipNumber: "Member #",
      fullName: "Surname, Forename",
      homePostcode: "Post Code",
      employer: "Employer",
    },
  },
  {
    name: "address 4 and 5 as town and county when there are no such columns",
    headers: [
      "Member No",
      "Surname",
      "Forename",
      "Address 1",
      "Address 2",
      "Address 3",
      "Address 4",
      "Address 5",
      "Postcode",
    ],
    expect: {
      membershipNumber: "Member No",
      surname: "Surname",
      forenames: "Forename",
      addressLine1: "Address 1",
      addressLine2: "Address 2",
      addressLine3: "Address 3",
      town: "Address 4",
      county: "Address 5",
      homePostcode: "Postcode",
    },
  },
  {
    name: "address 4 stays unmapped beside a Town column",
    headers: ["Member No", "Surname", "Forename", "Address 4", "Town"],
    expect: { membershipNumber: "Member No", surname: "Surname", forenames: "Forename", town: "Town" },
    unmapped: ["Address 4"],
  },
  {
    name: "work postcode is not the home postcode; consent columns are not contact columns",
    headers: [
      "Membership Number",
      "Surname",
      "First Name",
      "Work Postcode",
      "Home Post Code",
      "Email",
      "Email Consent",
      "SMS Opt In",
      "Mobile Phone",
    ],
    expect: {
      membershipNumber: "Membership Number",
      surname: "Surname",
      forenames: "First Name",
      homePostcode: "Home Post Code",
      email: "Email",
      consentEmail: "Email Consent",
      consentSms: "SMS Opt In",
      mobile: "Mobile Phone",
    },
    unmapped: ["Work Postcode"],
  },
  {
    name: "NHS staff-group export with status and arrears",
    headers: [
      "Membership ID",
      "Family Name",
      "Given Name",
      "Staff Group",
      "Employing Organisation",
      "Work Base",
      "Membership Status",
      "In Arrears",
      "Date Joined",
      "Date Left",
    ],
    expect: {
      membershipNumber: "Membership ID",
      surname: "Family Name",
      forenames: "Given Name",
      jobCategory: "Staff Group",
      employer: "Employing Organisation",
      workplace: "Work Base",
      status: "Membership Status",
      inArrears: "In Arrears",
      joinedOn: "Date Joined",
      leftOn: "Date Left",
    },
  },
  {
    name: "loose matches: 'Member Surname', 'Main Employer', 'Branch Name (old)'",
    headers: [
      "Union Membership No",
      "Member Surname",
      "Member Forenames",
      "Main Employer",
      "Branch Name (old)",
      "Phone",
    ],
    expect: {
      membershipNumber: "Union Membership No",
      surname: "Member Surname",
      forenames: "Member Forenames",
      employer: "Main Employer",
      branch: "Branch Name (old)",
      phone: "Phone",
    },
  },
  {
    name: "trailing spaces and a blank header",
    headers: ["Membership No ", " Surname", "Forename", ""],
    expect: { membershipNumber: "Membership No ", surname: " Surname", forenames: "Forename" },
    unmapped: [],
  },
];

describe("detectMapping", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const result = detectMapping(c.headers);
      assert.deepEqual(result.mapping, c.expect);
      if (c.unmapped) assert.deepEqual(result.unmappedHeaders, c.unmapped);
    });
  }

  test("every canonical field is listed once", () => {
    assert.equal(new Set(MEMBER_IMPORT_FIELDS).size, MEMBER_IMPORT_FIELDS.length);
    assert.equal(MEMBER_IMPORT_FIELDS.length, 28);
  });

  test("headers compare as keys", () => {
    assert.equal(headerKey("Membership No."), "membershipno");
    assert.equal(headerKey("Member Number"), "memberno");
    assert.equal(headerKey("Member #"), "memberno");
    assert.equal(headerKey("E-mail"), "email");
    assert.equal(headerKey("Forename(s)"), "forenames");
    assert.equal(headerKey("mobileNumber"), "mobileno");
  });

  test("required: a membership number and a name", () => {
    assert.deepEqual(detectMapping(["Surname", "Forename"]).missingRequired, ["membershipNumber"]);
    assert.deepEqual(detectMapping(["Member No", "Surname"]).missingRequired, ["forenames"]);
    assert.deepEqual(detectMapping(["Member No", "Postcode"]).missingRequired, ["forenames", "surname"]);
    assert.deepEqual(detectMapping(["Member No", "Name"]).missingRequired, []);
  });

  test("overrides win, may point anywhere, and '' unmaps", () => {
    const headers = ["Ref", "Surname", "Forename", "Site", "Location"];
    const r = detectMapping(headers, { membershipNumber: "ref", workplace: "Location", surname: "" });
    assert.equal(r.mapping.membershipNumber, "Ref", "resolved to the header as written in the file");
    assert.equal(r.mapping.workplace, "Location");
    assert.equal(r.mapping.surname, undefined);
    assert.deepEqual(r.missingRequired, ["surname"]);
    assert.ok(r.unmappedHeaders.includes("Site") && r.unmappedHeaders.includes("Surname"));
  });

  test("an override naming a header the file lacks is kept and reported missing", () => {
    const r = detectMapping(["Surname", "Forename"], { membershipNumber: "Member Code" });
    assert.equal(r.mapping.membershipNumber, "Member Code");
    assert.deepEqual(r.missingRequired, ["membershipNumber"]);
  });
});
