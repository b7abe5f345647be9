// A way out to real Redis, and back in: the header's Export and Import buttons.
//
//   mountTransfer({ engine, console, notices, exportButton, importButton })
//
// Export opens a small dialog with three downloads of the whole keyspace (all 16 dbs):
//   redis-playground.redis  a redis-cli script (engine.exportScript()): `redis-cli < file`
//   redis-playground.resp   the same commands as RESP (engine.exportResp()): `redis-cli --pipe < file`
//   dump.rdb                an RDB file (engine.exportRdb()) a redis-server 7.0 loads at start
// The scripts recreate every key with its remaining TTL (PEXPIRE); the RDB file keeps the
// absolute expiry times, as Redis's own does.
// Import reads a file in any of these formats (the engine tells them apart) and runs it on a
// separate connection (engine.importData()), like piping it into redis-cli; a notice shows
// how many commands ran and the first errors, as text.
import { h, openDialog, downloadNow } from './ui.js';
import { plural, formatSize } from './record.js';

export const MAX_IMPORT = 256 * 1024 * 1024;

const message = (e) => (e && typeof e === 'object' && 'message' in e ? e.message : String(e));

export function mountTransfer({ engine, console: ui, notices, persistence = null,
  exportButton = document.getElementById('export-button'), importButton = document.getElementById('import-button') } = {}) {
  const supported = typeof engine.exportScript === 'function' && typeof engine.importData === 'function';

  async function openExport() {
    const keys = Array.from(engine.dbSizes?.() ?? []).reduce((a, b) => a + b, 0);
    const result = h('p', { class: 'pg-muted export-result', role: 'status' });
    const save = (kind) => {
      try {
        if (kind === 'script') {
          const text = engine.exportScript();
          downloadNow(new TextEncoder().encode(text), 'redis-playground.redis', 'text/plain');
          result.textContent = `Saved redis-playground.redis (${formatSize(text.length)}).`;
        } else if (kind === 'rdb') {
          const bytes = engine.exportRdb();
          downloadNow(bytes, 'dump.rdb');
          result.textContent = `Saved dump.rdb (${formatSize(bytes.length)}).`;
        } else {
          const bytes = engine.exportResp();
          downloadNow(bytes, 'redis-playground.resp');
          result.textContent = `Saved redis-playground.resp (${formatSize(bytes.length)}).`;
        }
      } catch (e) {
        result.textContent = `The export failed (${message(e)}).`;
      }
    };
    const body = [
      h('p', { text: `Download the keyspace (${plural(keys, 'key')} in all 16 databases) as commands that recreate every key, with its remaining time to live, in a real Redis — or as the RDB file a real Redis 7.0 loads when it starts.` }),
      h('div', { class: 'export-choices' },
        h('div', { class: 'export-choice' },
          h('button', { type: 'button', class: 'pg-button primary', 'data-export': 'script', text: 'redis-cli script (.redis)', onclick: () => save('script') }),
          h('code', { class: 'export-usage', text: 'redis-cli < redis-playground.redis' })),
        h('div', { class: 'export-choice' },
          h('button', { type: 'button', class: 'pg-button', 'data-export': 'resp', text: 'RESP for redis-cli --pipe (.resp)', onclick: () => save('resp') }),
          h('code', { class: 'export-usage', text: 'redis-cli --pipe < redis-playground.resp' })),
        ...(typeof engine.exportRdb === 'function' ? [h('div', { class: 'export-choice' },
          h('button', { type: 'button', class: 'pg-button', 'data-export': 'rdb', text: 'RDB file (dump.rdb)', onclick: () => save('rdb') }),
          h('code', { class: 'export-usage', text: 'redis-server --dir <its folder> --dbfilename dump.rdb' }))] : [])),
      result,
    ];
    await openDialog({ title: 'Export to a real Redis', className: 'export-dialog', body, buttons: [{ label: 'Close', value: null }] });
    ui?.focus?.();
  }

  const picker = h('input', { type: 'file', accept: '.redis,.resp,.rdb,.txt,text/plain,application/octet-stream', hidden: true, class: 'import-picker', 'aria-hidden': 'true', tabindex: '-1' });
  document.body.append(picker);

  /** Import bytes (from the picker, or a test): returns the engine's result. */
  function importBytes(bytes, name = 'the file') {
    let r;
    try {
      r = engine.importData(bytes);
    } catch (e) {
      notices.show({ id: 'import', kind: 'error', text: `${name} could not be imported (${message(e)}).` });
      return null;
    }
    const commands = Number(r?.commands ?? 0);
    const errors = Number(r?.errors ?? 0);
    const first = Array.from(r?.firstErrors ?? [], String);
    notices.show({
      id: 'import',
      kind: errors ? 'warning' : 'info',
      text: `Imported ${name}: ${plural(commands, 'command')} run, ${plural(errors, 'error')}.` +
        (errors ? ' The first ones:' : ''),
      details: first.slice(0, 5).map((e) => (e.length > 300 ? `${e.slice(0, 300)}…` : e)),
    });
    persistence?.changed?.();
    return r;
  }

  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (!file) return;
    if (file.size > MAX_IMPORT) {
      notices.show({ id: 'import', kind: 'error', text: `${file.name} is too large to import here (${formatSize(file.size)}; the limit is ${formatSize(MAX_IMPORT)}).` });
      return;
    }
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      notices.show({ id: 'import', kind: 'error', text: `${file.name} could not be read (${message(e)}).` });
      return;
    }
    importBytes(bytes, file.name);
    ui?.focus?.();
  });

  if (exportButton) {
    exportButton.disabled = !supported;
    exportButton.addEventListener('click', openExport);
  }
  if (importButton) {
    importButton.disabled = !supported;
    importButton.addEventListener('click', () => picker.click());
  }
  return { openExport, importBytes };
}
