import type { EmployerDto } from "../registers/registers.model.js";

export const NATION_LABELS: Record<EmployerDto["nation"], string> = {
  england: "England",
  wales: "Wales",
  scotland: "Scotland",
  northern_ireland: "Northern Ireland",
};

export const PUBLIC_SERVICE_LABELS: Record<NonNullable<EmployerDto["importantPublicService"]>, string> = {
  health: "Health services",
  education: "Education",
  fire: "Fire and rescue",
  transport: "Transport",
  border_security: "Border security",
  nuclear_decommissioning: "Nuclear decommissioning",
};

/** The register codes an employer has, as short labelled strings. */
export function employerCodes(
  e: Pick<EmployerDto, "odsCode" | "dfeUrn" | "gssCode" | "companiesHouseNumber">,
) {
  const codes: { label: string; title: string; value: string }[] = [];
  if (e.odsCode) codes.push({ label: "ODS", title: "NHS Organisation Data Service code", value: e.odsCode });
  if (e.dfeUrn)
    codes.push({ label: "URN", title: "Department for Education unique reference number", value: e.dfeUrn });
  if (e.gssCode) codes.push({ label: "GSS", title: "Government Statistical Service code", value: e.gssCode });
  if (e.companiesHouseNumber)
    codes.push({ label: "CH", title: "Companies House number", value: e.companiesHouseNumber });
  return codes;
}
