/**
 * Test helper: a small register written by hand from real NHS ODS records
 * (names, codes and postcodes as ODS publishes them), Leeds-heavy so that
 * the hard negatives of record-linkage.md are in it: three Leeds trusts
 * whose names share words, hospitals named after places, renamed trusts,
 * a closed one. Thirty trusts, enough for rarity weights to mean something.
 */
import type { RegisterEntry } from "./types.js";

interface TrustSpec {
  code: string;
  name: string;
  postcode: string;
  formerNames?: string[];
  closedOn?: string;
  sites?: [code: string, name: string, postcode: string][];
}

const TRUSTS: TrustSpec[] = [
  {
    code: "RR8",
    name: "LEEDS TEACHING HOSPITALS NHS TRUST",
    postcode: "LS9 7TF",
    sites: [
      ["RR813", "ST JAMES'S UNIVERSITY HOSPITAL", "LS9 7TF"],
      ["RR801", "LEEDS GENERAL INFIRMARY", "LS1 3EX"],
      ["RR802", "LEEDS DENTAL HOSPITAL", "LS2 9LU"],
      ["RR807", "WHARFEDALE HOSPITAL", "LS21 2LY"],
      ["RR814", "SEACROFT HOSPITAL", "LS14 6UH"],
      ["RR819", "CHAPEL ALLERTON HOSPITAL", "LS7 4SA"],
      ["RR8A7", "DERMATOLOGY LGI", "LS1 3EX"],
    ],
  },
  {
    code: "RY6",
    name: "LEEDS COMMUNITY HEALTHCARE NHS TRUST",
    postcode: "LS11 0DL",
    sites: [
      ["RY6A1", "WHITE ROSE HOUSE", "LS11 0DL"],
      ["RY6A2", "ST GEORGE'S CENTRE", "LS10 4UZ"],
      ["RY6A3", "PARKSIDE HEALTH CENTRE", "LS11 5BP"],
    ],
  },
  {
    code: "RGD",
    name: "LEEDS AND YORK PARTNERSHIP NHS FOUNDATION TRUST",
    postcode: "LS7 3JX",
    sites: [
      ["RGD01", "BECKLIN CENTRE", "LS9 7BE"],
      ["RGD02", "NEWSAM CENTRE", "LS15 8ZB"],
    ],
  },
  {
    code: "RAE",
    name: "BRADFORD TEACHING HOSPITALS NHS FOUNDATION TRUST",
    postcode: "BD9 6RJ",
    sites: [
      ["RAE01", "BRADFORD ROYAL INFIRMARY", "BD9 6RJ"],
      ["RAE05", "ST LUKE'S HOSPITAL", "BD5 0NA"],
    ],
  },
  {
    code: "RXF",
    name: "MID YORKSHIRE TEACHING NHS TRUST",
    postcode: "WF1 4DG",
    formerNames: ["MID YORKSHIRE HOSPITALS NHS TRUST"],
    sites: [
      ["RXF05", "PINDERFIELDS HOSPITAL", "WF1 4DG"],
      ["RXF03", "DEWSBURY AND DISTRICT HOSPITAL", "WF13 4HS"],
      ["RXF10", "PONTEFRACT HOSPITAL", "WF8 1PL"],
    ],
  },
  {
    code: "RCD",
    name: "HARROGATE AND DISTRICT NHS FOUNDATION TRUST",
    postcode: "HG2 7SX",
    sites: [["RCD01", "HARROGATE DISTRICT HOSPITAL", "HG2 7SX"]],
  },
  {
    code: "RCB",
    name: "YORK AND SCARBOROUGH TEACHING HOSPITALS NHS FOUNDATION TRUST",
    postcode: "YO31 8HE",
    formerNames: ["YORK TEACHING HOSPITAL NHS FOUNDATION TRUST"],
    sites: [
      ["RCB55", "YORK HOSPITAL", "YO31 8HE"],
      ["RCBCA", "SCARBOROUGH HOSPITAL", "YO12 6QL"],
    ],
  },
  {
    code: "RWA",
    name: "HULL UNIVERSITY TEACHING HOSPITALS NHS TRUST",
    postcode: "HU3 2JZ",
    formerNames: ["HULL AND EAST YORKSHIRE HOSPITALS NHS TRUST"],
    sites: [
      ["RWA01", "HULL ROYAL INFIRMARY", "HU3 2JZ"],
      ["RWA16", "CASTLE HILL HOSPITAL", "HU16 5JQ"],
    ],
  },
  {
    code: "RHQ",
    name: "SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST",
    postcode: "S10 2JF",
    sites: [
      ["RHQ01", "ROYAL HALLAMSHIRE HOSPITAL", "S10 2JF"],
      ["RHQ02", "NORTHERN GENERAL HOSPITAL", "S5 7AU"],
    ],
  },
  {
    code: "RJ1",
    name: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
    postcode: "SE1 9RT",
    sites: [
      ["RJ121", "GUY'S HOSPITAL", "SE1 9RT"],
      ["RJ122", "ST THOMAS' HOSPITAL", "SE1 7EH"],
      ["RJ123", "EVELINA LONDON CHILDREN'S HOSPITAL", "SE1 7EH"],
    ],
  },
  {
    code: "RJ7",
    name: "ST GEORGE'S UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
    postcode: "SW17 0QT",
    sites: [["RJ701", "ST GEORGE'S HOSPITAL", "SW17 0QT"]],
  },
  {
    code: "RAJ",
    name: "MID AND SOUTH ESSEX NHS FOUNDATION TRUST",
    postcode: "SS0 0RY",
    formerNames: ["SOUTHEND UNIVERSITY HOSPITAL NHS FOUNDATION TRUST"],
    sites: [
      ["RAJ01", "SOUTHEND HOSPITAL", "SS0 0RY"],
      ["RAJ02", "BROOMFIELD HOSPITAL", "CM1 7ET"],
      ["RAJ03", "BASILDON UNIVERSITY HOSPITAL", "SS16 5NL"],
    ],
  },
  {
    code: "RTH",
    name: "OXFORD UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
    postcode: "OX3 9DU",
    sites: [
      ["RTH08", "JOHN RADCLIFFE HOSPITAL", "OX3 9DU"],
      ["RTH02", "CHURCHILL HOSPITAL", "OX3 7LE"],
    ],
  },
  {
    code: "RGT",
    name: "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
    postcode: "CB2 0QQ",
    sites: [["RGT01", "ADDENBROOKE'S HOSPITAL", "CB2 0QQ"]],
  },
  {
    code: "RRK",
    name: "UNIVERSITY HOSPITALS BIRMINGHAM NHS FOUNDATION TRUST",
    postcode: "B15 2GW",
    sites: [
      ["RRK15", "QUEEN ELIZABETH HOSPITAL", "B15 2GW"],
      ["RRK98", "GOOD HOPE HOSPITAL", "B75 7RR"],
    ],
  },
  {
    code: "RCX",
    name: "THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST",
    postcode: "PE30 4ET",
    sites: [["RCX70", "QUEEN ELIZABETH HOSPITAL", "PE30 4ET"]],
  },
  {
    code: "RTD",
    name: "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
    postcode: "NE7 7DN",
    sites: [
      ["RTD01", "ROYAL VICTORIA INFIRMARY", "NE1 4LP"],
      ["RTD02", "FREEMAN HOSPITAL", "NE7 7DN"],
    ],
  },
  {
    code: "RBS",
    name: "ALDER HEY CHILDREN'S NHS FOUNDATION TRUST",
    postcode: "L14 5AB",
    sites: [["RBS25", "ALDER HEY CHILDREN'S HOSPITAL", "L14 5AB"]],
  },
  {
    code: "RM1",
    name: "NORFOLK AND NORWICH UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
    postcode: "NR4 7UY",
    sites: [["RM102", "NORFOLK AND NORWICH UNIVERSITY HOSPITAL", "NR4 7UY"]],
  },
  {
    code: "RX9",
    name: "EAST MIDLANDS AMBULANCE SERVICE NHS TRUST",
    postcode: "NG8 6PY",
    sites: [["RX9A1", "LINCOLN AMBULANCE STATION", "LN1 1YL"]],
  },
  {
    code: "RX8",
    name: "YORKSHIRE AMBULANCE SERVICE NHS TRUST",
    postcode: "WF2 0XQ",
    sites: [["RX8A1", "SPRINGHILL HQ", "WF2 0XQ"]],
  },
  {
    code: "RXG",
    name: "SOUTH WEST YORKSHIRE PARTNERSHIP NHS FOUNDATION TRUST",
    postcode: "WF1 3SP",
    sites: [["RXG10", "FIELDHEAD HOSPITAL", "WF1 3SP"]],
  },
  {
    code: "RWY",
    name: "CALDERDALE AND HUDDERSFIELD NHS FOUNDATION TRUST",
    postcode: "HD3 3EA",
    sites: [
      ["RWY01", "HUDDERSFIELD ROYAL INFIRMARY", "HD3 3EA"],
      ["RWY02", "CALDERDALE ROYAL HOSPITAL", "HX3 0PW"],
    ],
  },
  {
    code: "RCF",
    name: "AIREDALE NHS FOUNDATION TRUST",
    postcode: "BD20 6TD",
    sites: [["RCF22", "AIREDALE GENERAL HOSPITAL", "BD20 6TD"]],
  },
  {
    code: "RFF",
    name: "BARNSLEY HOSPITAL NHS FOUNDATION TRUST",
    postcode: "S75 2EP",
    sites: [["RFF01", "BARNSLEY DISTRICT GENERAL HOSPITAL", "S75 2EP"]],
  },
  {
    code: "RNK",
    name: "TAVISTOCK AND PORTMAN NHS FOUNDATION TRUST",
    postcode: "NW3 5BA",
    closedOn: "2026-03-31",
    sites: [["RNK01", "TAVISTOCK CENTRE", "NW3 5BA"]],
  },
  {
    code: "R1C",
    name: "SOLENT NHS TRUST",
    postcode: "SO19 8BR",
    closedOn: "2024-09-30",
    sites: [["R1CA1", "ST MARY'S COMMUNITY HEALTH CAMPUS", "PO3 6AD"]],
  },
  {
    code: "RHU",
    name: "PORTSMOUTH HOSPITALS UNIVERSITY NHS TRUST",
    postcode: "PO6 3LY",
    formerNames: ["PORTSMOUTH HOSPITALS NHS TRUST"],
    sites: [["RHU03", "QUEEN ALEXANDRA HOSPITAL", "PO6 3LY"]],
  },
  {
    code: "RVR",
    name: "EPSOM AND ST HELIER UNIVERSITY HOSPITALS NHS TRUST",
    postcode: "SM5 1AA",
    sites: [
      ["RVR05", "ST HELIER HOSPITAL", "SM5 1AA"],
      ["RVR50", "EPSOM GENERAL HOSPITAL", "KT18 7EG"],
    ],
  },
  {
    code: "RYJ",
    name: "IMPERIAL COLLEGE HEALTHCARE NHS TRUST",
    postcode: "W2 1NY",
    sites: [
      ["RYJ01", "ST MARY'S HOSPITAL", "W2 1NY"],
      ["RYJ02", "CHARING CROSS HOSPITAL", "W6 8RF"],
    ],
  },
];

export interface Fixture {
  entries: RegisterEntry[];
  /** Employer id by trust code. */
  employer: Record<string, number>;
  /** Workplace id by site code. */
  workplace: Record<string, number>;
}

export function leedsFixture(): Fixture {
  const entries: RegisterEntry[] = [];
  const employer: Record<string, number> = {};
  const workplace: Record<string, number> = {};
  TRUSTS.forEach((t, i) => {
    const employerId = 1 + i;
    employer[t.code] = employerId;
    entries.push({
      employerId,
      workplaceId: null,
      name: t.name,
      employerName: t.name,
      aliases: (t.formerNames ?? []).map((text) => ({ text, kind: "former_name" as const })),
      postcode: t.postcode,
      closedOn: t.closedOn ?? null,
      codes: [t.code],
    });
    (t.sites ?? []).forEach(([code, name, postcode], j) => {
      const workplaceId = 1000 * employerId + j;
      workplace[code] = workplaceId;
      entries.push({
        employerId,
        workplaceId,
        name,
        employerName: t.name,
        aliases: [],
        postcode,
        closedOn: t.closedOn ?? null,
        codes: [code],
      });
    });
  });
  return { entries, employer, workplace };
}
