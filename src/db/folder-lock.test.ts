import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { commandOfThisProcess, PACKAGE_ROOT } from "../main.js";
import { lockDataFolder, lockPathOf, readHolder, takeOver } from "./folder-lock.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-lock-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe("one process at a time on an embedded database folder", () => {
  test("a second lock on the folder is refused, naming the holder; released, it can be taken again", () => {
    const dir = path.join(root, "a");
    const release = lockDataFolder(dir, "mandate start");
    assert.deepEqual(readHolder(lockPathOf(dir))?.pid, process.pid);
    assert.throws(
      () => lockDataFolder(dir, "mandate users add"),
      (e: Error & { code?: string }) =>
        e.code === "database.in_use" && e.message.includes(`"mandate start" (process ${process.pid}`),
    );
    release();
    assert.equal(fs.existsSync(lockPathOf(dir)), false);
    lockDataFolder(dir, "mandate users add")();
  });

  test("a lock left by a process that died is taken over", () => {
    const dir = path.join(root, "b");
    // A pid that cannot be running: a child that has already exited.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const holder = {
      pid: dead,
      host: os.hostname(),
      command: "mandate start",
      since: "2026-01-01T00:00:00Z",
    };
    fs.writeFileSync(lockPathOf(dir), JSON.stringify(holder));
    const release = lockDataFolder(dir, "mandate users add");
    assert.equal(readHolder(lockPathOf(dir))?.pid, process.pid);
    release();
  });

  test("a lock naming this process's pid that it did not take is stale (a container restarted as PID 1)", () => {
    const dir = path.join(root, "c");
    const holder = {
      pid: process.pid,
      host: os.hostname(),
      command: "mandate start",
      since: "2026-01-01T00:00:00Z",
    };
    fs.writeFileSync(lockPathOf(dir), JSON.stringify(holder));
    const release = lockDataFolder(dir, "mandate users add");
    assert.equal(readHolder(lockPathOf(dir))?.command, "mandate users add");
    release();
  });

  test("a newcomer that judged the old lock dead does not remove the fresh lock another took meanwhile", () => {
    const dir = path.join(root, "d");
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const stale = { pid: dead, host: os.hostname(), command: "mandate start", since: "2026-01-01T00:00:00Z" };
    fs.writeFileSync(lockPathOf(dir), JSON.stringify(stale));
    // B reads the lock and judges its holder dead...
    const judgedByB = readHolder(lockPathOf(dir));
    // ...A, faster, takes the folder over...
    const release = lockDataFolder(dir, "mandate start");
    // ...then B takes over with its old judgement: A's lock stays.
    assert.equal(takeOver(lockPathOf(dir), judgedByB), true);
    assert.equal(readHolder(lockPathOf(dir))?.command, "mandate start");
    assert.equal(readHolder(lockPathOf(dir))?.pid, process.pid);
    release();
  });

  test("two processes racing to take over a dead holder's lock: exactly one wins, every time", async () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const lockModule = new URL("./folder-lock.ts", import.meta.url).href;
    for (let round = 0; round < 4; round++) {
      const dir = path.join(root, `race-${round}`);
      fs.writeFileSync(
        lockPathOf(dir),
        JSON.stringify({ pid: dead, host: os.hostname(), command: "mandate start", since: `round ${round}` }),
      );
      // Both start at the same instant, and a winner holds on long enough for the other to finish.
      const at = Date.now() + 700;
      const child = `
        import { lockDataFolder } from ${JSON.stringify(lockModule)};
        while (Date.now() < ${at});
        try { lockDataFolder(${JSON.stringify(dir)}, "racer"); console.log("won"); setTimeout(() => {}, 600); }
        catch (e) { console.log(e.code === "database.in_use" ? "refused" : String(e)); }`;
      const racers = [0, 1].map(
        () =>
          new Promise<string>((resolve) => {
            const p = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], {
              stdio: ["ignore", "pipe", "inherit"],
            });
            let out = "";
            p.stdout.on("data", (c) => {
              out += c;
            });
            p.on("exit", () => resolve(out.trim()));
          }),
      );
      assert.deepEqual((await Promise.all(racers)).sort(), ["refused", "won"], `round ${round}`);
      assert.equal(fs.existsSync(`${lockPathOf(dir)}.takeover`), false);
    }
  });

  test("the holder's command is named by its words, never its option values", () => {
    assert.equal(
      commandOfThisProcess(["node", "mandate", "--json", "users", "add", "--password", "s3cret"]),
      "mandate users add",
    );
    assert.equal(
      commandOfThisProcess(["node", "mandate", "--union", "unite", "start", "--port", "9"]),
      "mandate start",
    );
  });

  test("two real processes: while `mandate start` runs, `mandate users add` on its folder is refused and changes nothing", async () => {
    const dataDir = path.join(root, "server");
    const env = {
      ...process.env,
      MANDATE_DATA_DIR: dataDir,
      DATABASE_URL: "",
      MANDATE_NEW_PASSWORD: "long-enough-pass-1",
    };
    const bin = path.join(PACKAGE_ROOT, "bin/mandate.js");
    const server: ChildProcess = spawn(process.execPath, [bin, "start", "--no-seed", "--port", "0"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
        server.stdout?.on("data", (chunk) => {
          out += chunk;
          if (out.includes("Mandate is running")) {
            clearTimeout(timer);
            resolve();
          }
        });
        server.stderr?.on("data", (chunk) => {
          out += chunk;
        });
        server.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
      });
      const add = (email: string) =>
        spawnSync(
          process.execPath,
          [bin, "--json", "users", "add", "--email", email, "--name", "Second Process", "--role", "national"],
          { env, encoding: "utf8", timeout: 120_000 },
        );
      const refused = add("second@example.test");
      assert.equal(refused.status, 1, refused.stderr);
      const error = JSON.parse(refused.stdout).error;
      assert.equal(error.code, "database.in_use");
      assert.match(error.message, new RegExp(`"mandate start" \\(process ${server.pid}`));

      // The server dies without letting go (SIGKILL): the next command takes the folder over,
      // and the user refused before was never created.
      server.kill("SIGKILL");
      await new Promise((resolve) => server.once("exit", resolve));
      const later = add("second@example.test");
      assert.equal(later.status, 0, later.stdout + later.stderr);
      const again = add("second@example.test");
      assert.equal(JSON.parse(again.stdout).error.code, "users.duplicate_email");
    } finally {
      if (server.exitCode === null) server.kill("SIGKILL");
    }
  });
});
