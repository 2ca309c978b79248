// A watch on a folder tree that keeps following files however an editor saves
// them. Node's recursive fs.watch on Linux follows each file by its inode: an
// editor that writes a temporary file and renames it over the article (vim,
// JetBrains, `sed -i`) replaces the inode, and every later save goes unseen.
// A watch on each folder reports its entries by name instead, so a rename over
// a file, a write in place, a delete and a recreate all arrive; new folders are
// watched as they appear, and what they already hold is reported.
import { type Dirent, type FSWatcher, watch } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";

export interface TreeWatch {
  close(): void;
}

export interface TreeWatchOptions {
  /** Folders to leave out (hidden ones, say), by name. */
  skipFolder: (name: string) => boolean;
  /** Files worth reporting, by name. */
  isWanted: (name: string) => boolean;
  /** A wanted file was created, changed, renamed to or away, or deleted: check whether it exists. */
  onFile: (file: string) => void;
}

/** Watches `root` and every folder below it until closed. */
export function watchTree(root: string, opts: TreeWatchOptions): TreeWatch {
  const watchers = new Map<string, FSWatcher>();
  /** Wanted files seen, so that a deleted folder reports the files it held. */
  const known = new Set<string>();
  let closed = false;

  const report = (file: string) => {
    if (!closed) opts.onFile(file);
  };

  const forget = (gone: string) => {
    for (const [dir, watcher] of watchers)
      if (dir === gone || dir.startsWith(`${gone}${path.sep}`)) {
        watcher.close();
        watchers.delete(dir);
      }
    for (const file of known)
      if (file.startsWith(`${gone}${path.sep}`)) {
        known.delete(file);
        report(file);
      }
  };

  const onEntry = async (dir: string, name: string) => {
    const full = path.join(dir, name);
    const stat = await lstat(full).catch(() => null);
    if (stat?.isDirectory()) {
      if (!opts.skipFolder(name)) await addFolder(full, true);
    } else if (stat === null && watchers.has(full)) {
      forget(full);
    } else if (opts.isWanted(name)) {
      if (stat) known.add(full);
      else known.delete(full);
      report(full);
    }
  };

  async function addFolder(dir: string, isNew: boolean): Promise<void> {
    if (closed || watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        // Without a name (rare), look at the whole folder again.
        if (name) void onEntry(dir, name.toString());
        else void rescan(dir);
      });
    } catch {
      return; // gone again before it could be watched
    }
    if (closed) {
      watcher.close();
      return;
    }
    watcher.on("error", () => forget(dir));
    watchers.set(dir, watcher);
    await scan(dir, isNew);
  }

  /** Watches the subfolders; reports the wanted files when the folder is new (they were written before its watch). */
  async function scan(dir: string, isNew: boolean): Promise<void> {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!opts.skipFolder(entry.name)) await addFolder(path.join(dir, entry.name), isNew);
      } else if (opts.isWanted(entry.name)) {
        const file = path.join(dir, entry.name);
        known.add(file);
        if (isNew) report(file);
      }
    }
  }

  async function rescan(dir: string): Promise<void> {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) await onEntry(dir, entry.name);
  }

  void addFolder(root, false);
  return {
    close: () => {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
