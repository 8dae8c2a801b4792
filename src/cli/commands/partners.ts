import { type Command, Option } from "commander";
import {
  decidePartnerAgreement,
  listPartnerAgreements,
  proposePartnerAgreement,
} from "../../ballots/partner-agreements.service.js";
import { positiveInt } from "../args.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

/** `mandate partners ...`: partner-union agreements. */
export function addPartnersCommands(program: Command, cli: Cli): void {
  const partners = program
    .command("partners")
    .description("agreements with partner unions to ballot their members alongside yours");
  const agreementRows = (list: Awaited<ReturnType<typeof listPartnerAgreements>>) =>
    table(
      list.map((a) => ({
        id: a.id,
        side: a.side,
        union: a.unionName,
        partner: a.partnerUnionName,
        for: a.subject,
        fields: a.fields.join(" "),
        state: a.state,
        shared: a.shared.reduce((n, s) => n + s.listed, 0),
      })),
    );
  partners
    .command("list")
    .description("agreements your union asked for or was asked for, with how many members were shared")
    .action(() =>
      cli.withContext(async (ctx, _open, out) => {
        const list = await listPartnerAgreements(ctx);
        out.result(list, () => agreementRows(list));
      }),
    );
  partners
    .command("propose <partnerUnion> <ballot>")
    .description("ask a partner union for its members in one of your ballots (only what the ballot needs)")
    .action((partnerUnion: string, ballot: string) =>
      cli.withContext(async (ctx, _open, out) => {
        const a = await proposePartnerAgreement(ctx, {
          partnerUnionId: positiveInt("partnerUnion")(partnerUnion),
          ballotId: positiveInt("ballot")(ballot),
          purpose: "",
        });
        out.result(a, () => agreementRows([a]));
      }),
    );
  partners
    .command("decide <agreement>")
    .description("as the partner: accept or decline a request; either side: withdraw")
    .addOption(
      new Option("--action <action>", "the decision")
        .choices(["accept", "decline", "withdraw"])
        .makeOptionMandatory(),
    )
    .action((agreement: string, opts: { action: "accept" | "decline" | "withdraw" }) =>
      cli.withContext(async (ctx, _open, out) => {
        const a = await decidePartnerAgreement(ctx, positiveInt("agreement")(agreement), opts.action);
        out.result(a, () => agreementRows([a]));
      }),
    );
}
