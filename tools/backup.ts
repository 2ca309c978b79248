// Entry point of `npm run backup`; the command itself is in backup/backup-command.ts.
import { runBackup } from "./backup/backup-command";
import { terminalIo } from "./lib/terminal-io";

process.exitCode = await runBackup(process.argv.slice(2), terminalIo);
