// Entry point of `npm run backup`; the command itself is in backup.ts.
import { runBackup } from "./backup/backup-command";

process.exitCode = await runBackup(process.argv.slice(2), (line) => console.log(line));
