import type { MemberStatus } from "../api/members.js";
import { titleCase } from "../format.js";

const STATUS_TONE: Record<MemberStatus, "ok" | "warning" | "neutral"> = {
  active: "ok",
  lapsed: "warning",
  left: "neutral",
  deceased: "neutral",
};

export function StatusBadge({ status }: { status: MemberStatus }) {
  return <span className={`badge badge-${STATUS_TONE[status]}`}>{titleCase(status)}</span>;
}

export function Badge({
  tone,
  children,
}: {
  tone: "ok" | "warning" | "error" | "neutral";
  children: string;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
