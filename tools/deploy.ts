// Entry point of `npm run deploy`; the command itself is in deploy/deploy-command.ts.
import { runDeploy } from "./deploy/deploy-command";
import { terminalIo } from "./lib/terminal-io";

process.exitCode = await runDeploy(process.argv.slice(2), terminalIo);
