/**
 * The day's workplaces on a map of the United Kingdom (and Ireland's outline, for context), drawn as
 * inline SVG from Natural Earth's boundaries shipped with the application (world-atlas): no tiles, no
 * network. Loaded on its own, so the boundaries stay out of the main bundle.
 *
 * Each dot is at its postcode AREA's approximate centre (decisions/0036), never at the address.
 */
import { geoMercator, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { useMemo } from "react";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import world from "world-atlas/countries-50m.json" with { type: "json" };
import type { DayBoardDto } from "../api/dayboard.js";
import { formatNumber } from "../format.js";

const UK = "826";
const IRELAND = "372";
const WIDTH = 400;
const HEIGHT = 560;

export const STATUS_COLOURS: Record<DayBoardDto["workplaces"][number]["status"], string> = {
  incident: "#a4231b",
  picket: "#1d6330",
  out: "#d08a00",
  none: "#8a96a8",
};

export const STATUS_LABELS: Record<DayBoardDto["workplaces"][number]["status"], string> = {
  incident: "Open incident",
  picket: "Picket line up",
  out: "Members out, no picket",
  none: "None out",
};

/** The two countries' shapes, projected to fit the drawing once. */
function useOutline() {
  return useMemo(() => {
    const topology = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    const countries = topology.objects.countries;
    const wanted = {
      ...countries,
      geometries: countries.geometries.filter((g) => g.id === UK || g.id === IRELAND),
    };
    const shapes = feature(topology, wanted) as FeatureCollection<Geometry, { name: string }>;
    const uk = shapes.features.find((f) => f.id === UK) as Feature<Geometry>;
    // Fit the UK (Shetland to the Scillies), Ireland drawn around it.
    const projection = geoMercator().fitExtent(
      [
        [8, 8],
        [WIDTH - 8, HEIGHT - 8],
      ],
      uk,
    );
    const path = geoPath(projection);
    return {
      projection,
      land: shapes.features.map((f) => ({ id: String(f.id), d: path(f) ?? "" })),
    };
  }, []);
}

export function DayBoardMap({ board }: { board: DayBoardDto }) {
  const { projection, land } = useOutline();
  const placed = board.workplaces.filter((w) => w.lat !== null && w.lon !== null);
  // Incidents drawn last, on top.
  const order = { none: 0, out: 1, picket: 2, incident: 3 } as const;
  const dots = placed
    .map((w) => ({ w, p: projection([w.lon!, w.lat!]) }))
    .filter((d): d is { w: (typeof placed)[number]; p: [number, number] } => d.p !== null)
    .sort((a, b) => order[a.w.status] - order[b.w.status]);
  return (
    <>
      <svg
        className="uk-map"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Map of ${formatNumber(dots.length)} workplaces by status; the tables below give the same figures.`}
      >
        {land.map((l) => (
          <path key={l.id} d={l.d} className={l.id === UK ? "land" : "land land-ie"} />
        ))}
        {dots.map(({ w, p }) => (
          <circle
            key={w.id}
            cx={p[0].toFixed(1)}
            cy={p[1].toFixed(1)}
            r={w.status === "incident" ? 4.5 : 3.2}
            fill={STATUS_COLOURS[w.status]}
            stroke="#ffffff"
            strokeWidth={0.6}
            data-workplace={w.id}
          >
            <title>{`${w.name}: ${STATUS_LABELS[w.status]}, ${formatNumber(w.out)} out`}</title>
          </circle>
        ))}
      </svg>
      <ul className="map-legend" aria-label="Legend">
        {(Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[]).map((s) => (
          <li key={s}>
            <span className="legend-dot" style={{ background: STATUS_COLOURS[s] }} aria-hidden="true" />
            {STATUS_LABELS[s]}
          </li>
        ))}
      </ul>
      <p className="muted small">
        Dots are placed at the approximate centre of each workplace's postcode area, not at its address.
        {board.totals.notOnMap
          ? ` ${formatNumber(board.totals.notOnMap)} workplace${board.totals.notOnMap === 1 ? " has" : "s have"} no usable postcode and ${board.totals.notOnMap === 1 ? "is" : "are"} not on the map.`
          : ""}
      </p>
    </>
  );
}
