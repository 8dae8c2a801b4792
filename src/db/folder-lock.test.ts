import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { commandOfThisProcess, PACKAGE_ROOT } from "../main.js";
import { lockDataFolder, lockPathOf, readHolder } from "./folder-lock.js";

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
