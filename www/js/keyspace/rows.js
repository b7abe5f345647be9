// Turn the gathered keys into the rows the list shows: one row per key (flat list), or a
// tree grouped by `:` — folders (with how many keys they hold) that expand to their keys.
//
// A row: { id, kind: 'key' | 'folder', level (1-based), posinset, setsize, parentId, … }
//   key rows:    key, info, prefix (the part of the name its folders already say)
//   folder rows: path (`user:1:`), name (`1`), count, expanded
import { byName } from './util.js';

export const SEPARATOR = ':';

export const keyId = (key) => `k:${key}`;
export const folderId = (path) => `f:${path}`;

/** Rows of the flat list: every key, in natural order. */
export function flatRows(keys) {
  const names = [...keys.keys()].sort(byName);
  return names.map((key, i) => ({
    id: keyId(key), kind: 'key', key, info: keys.get(key), level: 1,
    posinset: i + 1, setsize: names.length, parentId: null, prefix: '',
  }));
}

function newFolder(path, name) {
  return { path, name, folders: new Map(), leaves: [], count: 0 };
}

/** The folder tree: folders before keys at each level, both in natural order. */
export function buildTree(keys) {
  const root = newFolder('', '');
  for (const key of keys.keys()) {
    const segs = key.split(SEPARATOR);
    let node = root;
    node.count++;
    let path = '';
    for (let i = 0; i < segs.length - 1; i++) {
      path += segs[i] + SEPARATOR;
      let next = node.folders.get(segs[i]);
      if (!next) {
        next = newFolder(path, segs[i]);
        node.folders.set(segs[i], next);
      }
      next.count++;
      node = next;
    }
    node.leaves.push(key);
  }
  return root;
}

/** The visible rows of the tree: a folder's children only when its path is in `expanded`. */
export function treeRows(keys, expanded) {
  const rows = [];
  const walk = (node, level, parentId) => {
    const folders = [...node.folders.values()].sort((a, b) => byName(a.name, b.name));
    const leaves = node.leaves.sort(byName);
    const setsize = folders.length + leaves.length;
    let pos = 0;
    for (const f of folders) {
      const id = folderId(f.path);
      const open = expanded.has(f.path);
      rows.push({
        id, kind: 'folder', path: f.path, name: f.name, count: f.count, expanded: open,
        level, posinset: ++pos, setsize, parentId,
      });
      if (open) walk(f, level + 1, id);
    }
    for (const key of leaves) {
      rows.push({
        id: keyId(key), kind: 'key', key, info: keys.get(key), level,
        posinset: ++pos, setsize, parentId, prefix: node.path,
      });
    }
  };
  walk(buildTree(keys), 1, null);
  return rows;
}

/** Every folder path that leads to `key` (to reveal it in the tree). */
export function ancestorPaths(key) {
  const segs = key.split(SEPARATOR);
  const paths = [];
  let path = '';
  for (let i = 0; i < segs.length - 1; i++) {
    path += segs[i] + SEPARATOR;
    paths.push(path);
  }
  return paths;
}
