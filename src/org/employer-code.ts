/** The register codes an employer may carry, in the order a person would quote them. */
export interface EmployerCodes {
  ods_code: string | null;
  gss_code: string | null;
  dfe_group_id: string | null;
  dfe_urn: string | null;
  la_code: string | null;
  local_code: string | null;
  companies_house_number: string | null;
}

/** The one code that names the employer in exports and truth files, or null when it has none. */
export function primaryEmployerCode(e: EmployerCodes): string | null {
  return (
    e.ods_code ??
    e.gss_code ??
    e.dfe_group_id ??
    e.dfe_urn ??
    e.la_code ??
    e.local_code ??
    e.companies_house_number
  );
}
