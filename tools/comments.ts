// Entry point of `npm run comments`; the command itself is in comments.ts.
import { runComments } from "./comments/comments-command";

process.exitCode = await runComments(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
