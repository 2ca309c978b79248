// The import plan as the lines the command prints, like publish's plan.
import { PROCESSING_MARKER } from "../../src/legal/processing-section";
import type { ImportPlan, PlannedFile } from "./import-types";

const LIST_LIMIT = 20;

/** The plan as printed lines; `displayPath` names a content-relative file as the person sees it (content/…). */
export function formatImportPlan(plan: ImportPlan, target: string, displayPath: (file: string) => string): string[] {
  const { channel } = plan;
  const lines = [
    `WordPress export "${channel.title}" (${channel.link || channel.baseBlogUrl}, WXR ${channel.version}) into the content folder and the ${target}:`,
  ];
  for (const kind of ["post", "page"] as const)
    lines.push(
      ...formatKind(
        plan.files.filter((f) => f.kind === kind),
        kind,
      ),
    );
  lines.push(...formatKept(plan.files, displayPath));
  lines.push(...formatSamples(plan, displayPath));
  lines.push(...formatRoles(plan));
  lines.push(...formatComments(plan));
  lines.push(`Redirects: ${plan.redirects.length} old URLs answer 301 to their new home.`);
  lines.push(...formatMedia(plan));
  lines.push(...formatSkipped(plan));
  lines.push(...formatNotes(plan.files));
  return lines;
}

function formatKind(files: PlannedFile[], kind: "post" | "page"): string[] {
  const count = (status: string) => files.filter((f) => f.status === status).length;
  const drafts = files.filter((f) => f.draft).length;
  const scheduled = files.filter((f) => f.scheduled).length;
  const kept = count("edited") + count("deleted");
  const counts = [
    `${count("new")} new`,
    ...(count("update") > 0 ? [`${count("update")} updating an earlier import`] : []),
    `${count("replace")} replacing a file`,
    ...(count("overwrite") > 0 ? [`${count("overwrite")} overwriting an edited file`] : []),
    `${count("unchanged")} unchanged`,
    ...(kept > 0 ? [`${kept} kept as edited since import`] : []),
  ];
  const head = `${kind === "post" ? "Posts" : "Pages"}: ${files.length} (${counts.join(", ")}; ${drafts} drafts, ${scheduled} scheduled)`;
  const rows = files.map((f) => {
    const flags = [f.draft ? "draft" : null, f.scheduled ? "scheduled" : null, f.role].filter(Boolean).join(", ");
    const replaces = f.status === "replace" ? ` replaces the existing ${f.existing ?? "file"}` : "";
    return `  ${STATUS_WORDS[f.status].padEnd(9)} ${f.path}  ${f.item}${flags ? ` [${flags}]` : ""}${replaces}`;
  });
  return [head, ...rows];
}

const STATUS_WORDS: Record<PlannedFile["status"], string> = {
  new: "new",
  update: "update",
  replace: "replace",
  overwrite: "overwrite",
  unchanged: "unchanged",
  edited: "kept",
  deleted: "kept",
};

/** The files someone changed or deleted since the last import, by name: the import leaves them as they are. */
function formatKept(files: PlannedFile[], displayPath: (file: string) => string): string[] {
  const lines = files.flatMap((f) => {
    if (f.status === "edited") return [`  kept, edited since import: ${displayPath(f.path)}`];
    if (f.status === "deleted") return [`  not restored, deleted since import: ${displayPath(f.path)}`];
    return [];
  });
  return lines.length > 0 ? ["Edited since the last import (--overwrite-edited replaces them; their new comments are imported):", ...lines] : [];
}

function formatSamples(plan: ImportPlan, displayPath: (file: string) => string): string[] {
  const { removable, edited, givingWay } = plan.samples;
  const lines: string[] = [];
  if (removable.some((s) => s.kind === "article"))
    lines.push(...removable.map((s) => `  sample    ${displayPath(s.path)} (unchanged: --remove-samples removes it, --keep-samples keeps it)`));
  for (const file of edited) lines.push(`  kept, a sample edited since it shipped: ${displayPath(file)}`);
  for (const { sample, by } of givingWay)
    lines.push(`  removed   ${displayPath(sample.path)}: the unchanged placeholder gives way to ${by.item} (${displayPath(by.path)}, role: ${by.role})`);
  return lines.length > 0 ? ["Sample content the blog ships with:", ...lines] : [];
}

function formatRoles(plan: ImportPlan): string[] {
  const lines: string[] = [];
  for (const [role, label] of [
    ["privacy", "Privacy page"],
    ["imprint", "Impressum"],
  ] as const) {
    const file = plan.roles[role];
    if (!file) lines.push(`${label}: none recognised among the pages (by slug or title); write one in content/pages/.`);
    else {
      lines.push(`${label}: ${file.item} (${file.path}) gets role: ${role}.`);
      // WordPress's privacy text replaces the sample's, and with it the section the Worker writes from the settings.
      if (role === "privacy")
        lines.push(
          `  Warning: it holds WordPress's text, which does not state what this blog stores and for how long. Add the line ${PROCESSING_MARKER} where the blog should write that from its settings, and check the rest.`,
        );
    }
  }
  return lines;
}

function formatComments(plan: ImportPlan): string[] {
  const c = plan.comments;
  const lines = [`Comments: ${c.approved} approved, ${c.pending} pending, ${c.spam} spam, ${c.trash} trash.`];
  if (c.importedBefore > 0)
    lines.push(`  ${c.importedBefore} comments imported before are left as they are (deleted ones stay deleted); the counts above are the new ones.`);
  if (c.pingbacksSkipped > 0) lines.push(`  ${c.pingbacksSkipped} pingbacks and trackbacks skipped (--pingbacks imports them).`);
  if (c.otherTypes.size > 0) {
    const kinds = [...c.otherTypes].map(([type, n]) => (type === "note" ? `${n} editorial notes` : `${n} of type ${JSON.stringify(type)}`));
    lines.push(`  Left out: ${kinds.join(", ")}; WordPress never showed them to readers as comments.`);
  }
  if (c.withoutPost > 0) lines.push(`  ${c.withoutPost} comments skipped: their item is not imported.`);
  if (c.tooBig > 0) lines.push(`  ${c.tooBig} comments skipped: too long for one SQL statement.`);
  if (c.onDeletedFiles > 0) lines.push(`  ${c.onDeletedFiles} comments skipped: their post's file was deleted since the last import.`);
  if (c.unknownStatuses.size > 0) {
    const count = [...c.unknownStatuses.values()].reduce((sum, n) => sum + n, 0);
    const values = [...c.unknownStatuses.keys()].map((v) => JSON.stringify(v)).join(", ");
    lines.push(`  ${count} comments with an unknown status (${values}) imported as pending.`);
  }
  lines.push(
    plan.ipHashed
      ? "  IP addresses are stored as salted hashes (IP_HASH_SALT)."
      : "  IP addresses are not stored: IP_HASH_SALT is not set (environment or .dev.vars).",
  );
  return lines;
}

function formatMedia(plan: ImportPlan): string[] {
  const { copies, absolute, missing, skipped } = plan.media;
  const lines: string[] = [];
  if (copies.length > 0) lines.push(`Media: ${copies.length} files copied to media/ and their links rewritten.`);
  if (absolute.length > 0) lines.push(`Media: ${absolute.length} links to uploads stay absolute (no --media folder given):`, ...limit(absolute));
  if (missing.length > 0) lines.push(`Media: ${missing.length} uploads not found in the --media folder; their links stay absolute:`, ...limit(missing));
  if (skipped.length > 0)
    lines.push(`Media: ${skipped.length} uploads not copied; their links stay absolute:`, ...skipped.map((s) => `  skipped   ${s.url}: ${s.reason}`));
  return lines;
}

function formatSkipped(plan: ImportPlan): string[] {
  const lines = plan.skipped.map((s) => `  skipped   ${s.item}: ${s.reason}`);
  for (const [kind, n] of plan.skippedKinds) {
    const why = kind === "attachment" ? "their pages redirect to the post they belong to" : "not posts or pages";
    lines.push(`  skipped   ${n} ${kind} items: ${why}`);
  }
  return lines.length > 0 ? ["Skipped:", ...lines] : [];
}

function formatNotes(files: PlannedFile[]): string[] {
  const lines: string[] = [];
  for (const f of files) {
    for (const note of f.notes) lines.push(`  ${f.item}: ${note}`);
    if (f.shortcodes.length > 0) lines.push(`  ${f.item}: shortcodes kept as text: ${f.shortcodes.map((s) => `[${s}]`).join(" ")}`);
  }
  return lines.length > 0 ? ["To look at:", ...lines] : [];
}

function limit(items: string[]): string[] {
  const shown = items.slice(0, LIST_LIMIT).map((i) => `  ${i}`);
  return items.length > LIST_LIMIT ? [...shown, `  … and ${items.length - LIST_LIMIT} more`] : shown;
}
