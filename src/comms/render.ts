/**
 * Messages from templates (decisions/0027). Pure: no database, no network.
 *
 * People write a template's text with Liquid merge fields (`{{ member.forename }}`): blank lines make
 * paragraphs, and a line that is only `[Label](url)` makes a button. The email's layout is MJML,
 * compiled once per approved version into HTML that still holds the Liquid fields; each message then
 * costs one Liquid render (HTML-escaped in the HTML part, not escaped in the text part and SMS).
 */
import { Liquid, type Template } from "liquidjs";
import { SegmentedMessage } from "sms-segments-calculator";
import { AppError } from "../shared/errors.js";
import type { Channel, Purpose } from "./comms.model.js";
import type { ResultFields } from "./result-notice.js";

/**
 * MJML is loaded on first use: it is heavy to load (about a second and a half), and most processes that
 * import this module (every test file that builds the app, the command line) never compile an email.
 */
let mjmlLoaded: Promise<typeof import("mjml")> | undefined;
const mjml = () => {
  mjmlLoaded ??= import("mjml").then(
    (m) => (m as unknown as { default: typeof import("mjml") }).default ?? m,
  );
  return mjmlLoaded;
};

/** What a template may use. Anything else is refused when the version is saved. */
export interface MergeFields {
  member: { forename: string; surname: string; employer: string; workplace: string };
  union: { name: string };
  /** The member's one-click unsubscribe page (campaign messages only; empty otherwise). */
  unsubscribe_url: string;
  /** The result of the member's constituency (result notices only, decisions/0030). */
  result?: ResultFields;
}

export const SAMPLE_FIELDS: MergeFields = {
  member: {
    forename: "Sam",
    surname: "Example",
    employer: "Example NHS Trust",
    workplace: "Example Hospital",
  },
  union: { name: "Example Union" },
  unsubscribe_url: "https://example.invalid/u/sample",
};

const engineOptions = {
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  // No file system: `include` and `render` look only in this empty map, so a template cannot read files.
  templates: {},
} as const;
const htmlEngine = new Liquid({ ...engineOptions, outputEscape: "escape" });
const textEngine = new Liquid(engineOptions);

/** A version parsed once and rendered for each member. */
export interface CompiledVersion {
  channel: Channel;
  subject: Template[] | null;
  html: Template[] | null;
  text: Template[];
}

/** Campaign-like purposes carry an unsubscribe link; statutory and service messages do not. */
export function isCampaign(purpose: Purpose): boolean {
  return purpose === "campaign" || purpose === "persuasion" || purpose === "reminder";
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const BUTTON = /^\[([^\]]{1,80})\]\(([^)\s]{1,500})\)$/;

/** The text as MJML blocks: paragraphs and buttons. The author's text is escaped; Liquid fields stay. */
function bodyToMjml(body: string): string {
  return body
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const button = BUTTON.exec(block);
      if (button) {
        return `<mj-button href="${escapeHtml(button[2]!).replace(/"/g, "&quot;")}" background-color="#7a1f5c" font-size="16px">${escapeHtml(button[1]!)}</mj-button>`;
      }
      return `<mj-text font-size="16px" line-height="1.5">${escapeHtml(block).replace(/\n/g, "<br />")}</mj-text>`;
    })
    .join("\n");
}

/** The text part: buttons become "Label: url". */
export function bodyToText(body: string): string {
  return body
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((block) => {
      const button = BUTTON.exec(block.trim());
      return button ? `${button[1]}: ${button[2]}` : block.trim();
    })
    .filter(Boolean)
    .join("\n\n");
}

function footerText(purpose: Purpose): string {
  return isCampaign(purpose)
    ? "You get this as a member of {{ union.name }}. To stop these messages: {{ unsubscribe_url }}"
    : "You get this as a member of {{ union.name }} entitled to it by law or by your membership.";
}

/** The email's HTML, compiled from MJML, with the Liquid fields still in it. */
export async function compileEmailHtml(
  body: string,
  purpose: Purpose,
  subject: string,
  language: "en" | "cy" = "en",
): Promise<string> {
  const footer = isCampaign(purpose)
    ? `You get this as a member of {{ union.name }}. <a href="{{ unsubscribe_url }}">Unsubscribe</a> from campaign messages.`
    : "You get this as a member of {{ union.name }} entitled to it by law or by your membership.";
  const source = `<mjml lang="${language}">
  <mj-head><mj-title>${escapeHtml(subject)}</mj-title><mj-preview>${escapeHtml(subject)}</mj-preview>
    <mj-attributes><mj-all font-family="Arial, Helvetica, sans-serif" /></mj-attributes></mj-head>
  <mj-body background-color="#f4f4f4">
    <mj-section background-color="#7a1f5c" padding="16px"><mj-column>
      <mj-text color="#ffffff" font-size="20px" font-weight="bold">{{ union.name }}</mj-text>
    </mj-column></mj-section>
    <mj-section background-color="#ffffff" padding="8px 16px"><mj-column>
${bodyToMjml(body)}
    </mj-column></mj-section>
    <mj-section padding="8px 16px"><mj-column>
      <mj-text font-size="12px" color="#555555">${footer}</mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;
  const out = await (await mjml())(source, { validationLevel: "strict" });
  if (out.errors?.length) {
    throw new AppError(
      "comms.template_invalid",
      `The email layout could not be built: ${out.errors[0]!.message}`,
    );
  }
  return out.html;
}

function parse(engine: Liquid, source: string, part: string): Template[] {
  try {
    return engine.parse(source);
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0] : "unreadable";
    throw new AppError("comms.template_invalid", `The ${part} has a merge-field error: ${message}`, { part });
  }
}

/** Parses a version's parts once; the HTML is the compiled MJML (email only). */
export function compileVersion(v: {
  channel: Channel;
  purpose: Purpose;
  subject: string | null;
  body: string;
  html: string | null;
}): CompiledVersion {
  const text = `${bodyToText(v.body)}\n\n${v.channel === "email" ? footerText(v.purpose) : ""}`.trimEnd();
  const smsText = isCampaign(v.purpose) ? `${v.body.trim()}\nStop: {{ unsubscribe_url }}` : v.body.trim();
  return {
    channel: v.channel,
    subject: v.subject === null ? null : parse(textEngine, v.subject, "subject"),
    html: v.html === null ? null : parse(htmlEngine, v.html, "email layout"),
    text: parse(textEngine, v.channel === "sms" ? smsText : text, "text"),
  };
}

export interface RenderedMessage {
  subject: string | null;
  html: string | null;
  text: string;
}

/** One member's message. Throws comms.template_invalid when a field the template names does not exist. */
export function renderMessage(c: CompiledVersion, fields: MergeFields): RenderedMessage {
  try {
    return {
      subject:
        c.subject === null ? null : textEngine.renderSync(c.subject, fields).replace(/\s+/g, " ").trim(),
      html: c.html === null ? null : htmlEngine.renderSync(c.html, fields),
      text: textEngine.renderSync(c.text, fields),
    };
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0] : "unreadable";
    throw new AppError("comms.template_invalid", `A merge field could not be filled: ${message}`);
  }
}

/** An SMS's encoding and the segments it is billed as (GSM-7: 160 characters, or 153 a segment when split). */
export function smsSegments(text: string): {
  encoding: "GSM-7" | "UCS-2";
  characters: number;
  segments: number;
} {
  const m = new SegmentedMessage(text);
  return {
    encoding: m.encodingName === "GSM-7" ? "GSM-7" : "UCS-2",
    characters: m.numberOfCharacters,
    segments: m.segmentsCount,
  };
}

/**
 * An email to a union's officers (a bulletin's copy, decisions/0037): the same MJML layout as members'
 * emails, the text in paragraphs (lines starting "- " as they are), and a button to `linkPlaceholder`,
 * which the sender replaces with each reader's own link. Compiled once per bulletin.
 */
export async function officerEmailHtml(p: {
  unionName: string;
  title: string;
  text: string;
  button: string;
  linkPlaceholder: string;
}): Promise<string> {
  const paragraphs = p.text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map(
      (block) =>
        `<mj-text font-size="15px" line-height="1.5">${escapeHtml(block).replace(/\n/g, "<br />")}</mj-text>`,
    )
    .join("\n");
  const source = `<mjml lang="en">
  <mj-head><mj-title>${escapeHtml(p.title)}</mj-title><mj-preview>${escapeHtml(p.title)}</mj-preview>
    <mj-attributes><mj-all font-family="Arial, Helvetica, sans-serif" /></mj-attributes></mj-head>
  <mj-body background-color="#f4f4f4">
    <mj-section background-color="#7a1f5c" padding="16px"><mj-column>
      <mj-text color="#ffffff" font-size="20px" font-weight="bold">${escapeHtml(p.unionName)}</mj-text>
    </mj-column></mj-section>
    <mj-section background-color="#ffffff" padding="8px 16px"><mj-column>
      <mj-text font-size="18px" font-weight="bold">${escapeHtml(p.title)}</mj-text>
${paragraphs}
      <mj-button href="${p.linkPlaceholder}" background-color="#7a1f5c" font-size="16px">${escapeHtml(p.button)}</mj-button>
    </mj-column></mj-section>
    <mj-section padding="8px 16px"><mj-column>
      <mj-text font-size="12px" color="#555555">You get this as an officer or representative of ${escapeHtml(p.unionName)}. Counts only: no member is named.</mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;
  const out = await (await mjml())(source, { validationLevel: "strict" });
  if (out.errors?.length) {
    throw new AppError(
      "comms.template_invalid",
      `The email layout could not be built: ${out.errors[0]!.message}`,
    );
  }
  return out.html;
}
