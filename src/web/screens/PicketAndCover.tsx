/**
 * The day-of-action screen's "Picket lines and cover" part: choose a day of the dispute's calendar, then
 * the picket lines and the essential-service cover of that day, per workplace and employer in scope.
 */
import { useSearchParams } from "react-router";
import { Empty } from "../components/QueryState.js";
import { formatDate } from "../format.js";
import { CoverPanel } from "./CoverPanel.js";
import { PicketLines } from "./PicketLines.js";

export function PicketAndCover({ disputeId, days }: { disputeId: number; days: string[] }) {
  const [search, setSearch] = useSearchParams();
  const asked = search.get("day");
  const day = asked && days.includes(asked) ? asked : (days[0] ?? "");
  if (!day) return <Empty>No days of action planned yet: picket lines and cover are planned per day.</Empty>;
  return (
    <>
      <div className="field picket-day">
        <label htmlFor="picket-day">Day of action</label>
        <select
          id="picket-day"
          value={day}
          onChange={(e) => setSearch({ tab: "picket", day: e.target.value })}
        >
          {days.map((d) => (
            <option key={d} value={d}>
              {formatDate(d)}
            </option>
          ))}
        </select>
      </div>
      <PicketLines disputeId={disputeId} day={day} />
      <CoverPanel disputeId={disputeId} day={day} />
    </>
  );
}
