// `prod-guard init bash|zsh|fish` in the real shells, typed into tmux: a guarded tool called by its path against
// production is refused before it runs (the PATH shims cannot see it), the same call against development runs,
// and sourcing the init twice neither doubles the PATH entry nor asks twice. Debian packages: tmux, zsh, fish.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fixture, ROOT, tempDir, writeTree } from '../unit/helpers';
import { Terminal, which } from './support';

const CLI = path.join(ROOT, process.env.PRODGUARD_DIST || 'dist', 'cli.js');

describe('prod-guard init in the real shells (tmux)', function () {
  this.timeout(90_000);
  const terminals: Terminal[] = [];
  after(() => {
    for (const t of terminals) t.close();
  });

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`${shell}: /abs/path/kubectl against production asks and, cancelled, does not run; twice-sourced init asks once`, async function () {
      if (!which('tmux') || !which(shell) || !fs.existsSync(CLI)) this.skip();
      const home = tempDir(`init-${shell}-`);
      const ran = path.join(home, 'ran.log');
      writeTree(home, {
        '.kube/config': fs.readFileSync(fixture('kubectl', 'kubeconfig.yaml')),
        '.pg_service.conf': '[prod]\nhost=db.prod.acme\ndbname=shop\n',
        'bin/kubectl': `#!/bin/sh\necho "$@" >> ${ran}\n`,
        'bin/psql': `#!/bin/sh\necho "psql $@" >> ${ran}\n`,
      });
      fs.chmodSync(path.join(home, 'bin', 'kubectl'), 0o755);
      fs.chmodSync(path.join(home, 'bin', 'psql'), 0o755);
      const init = `${process.execPath} ${CLI} init ${shell}`;
      // A hook the user had before (a DEBUG trap, an accept-line widget) keeps running.
      const before = shell === 'bash' ? `trap 'touch ${home}/hook-ran' DEBUG\n`
        : shell === 'zsh' ? `my_accept() { touch ${home}/hook-ran; zle .accept-line; }\nzle -N accept-line my_accept\n` : '';
      const rc = shell === 'fish' ? `${init} | source\n${init} | source\n` : `${before}eval "$(${init})"\neval "$(${init})"\n`;
      const rcFile = shell === 'bash' ? path.join(home, '.bashrc') : shell === 'zsh' ? path.join(home, '.zshrc')
        : path.join(home, '.config', 'fish', 'config.fish');
      writeTree(home, { [path.relative(home, rcFile)]: rc });
      const start = shell === 'bash' ? `bash --rcfile ${rcFile} -i` : shell === 'zsh' ? 'zsh -i' : 'fish -i';
      const env = `env -i HOME=${home} ZDOTDIR=${home} XDG_CONFIG_HOME=${path.join(home, '.config')} TERM=xterm `
        + `PATH=/usr/bin:/bin PRODGUARD_AUDIT_LOG=${path.join(home, 'audit.jsonl')}`;
      const term = new Terminal(`${env} ${start}`, home);
      terminals.push(term);
      const type = (line: string): void => term.type(line);
      const screen = (): string => term.screen();
      const waitFor = (re: RegExp, what: string): Promise<string> => term.waitFor(re, `${shell}: ${what}`, 20000);
      // `two` prints 2 in this shell (output that differs from the typed line).
      const two = shell === 'fish' ? '(math 1+1)' : '$((1+1))';
      type(`echo ready-${two}`);
      await waitFor(/ready-2/, 'the shell starts');
      type(`${shell === 'fish' ? 'printf "%s\\n" $PATH' : 'echo "$PATH" | tr : "\\n"'} | grep -c prod-guard/shims; echo counted-${two}`);
      await waitFor(/\n1\n(.*\n)?counted-2/, 'one PATH entry');
      type(`${home}/bin/kubectl --context prod-eu delete ns payments`);
      const asked = await waitFor(/Type prod-eu to run it/, 'the confirmation');
      assert.match(asked, /PRODUCTION/);
      type('no');
      await waitFor(/cancelled; nothing ran/, 'the cancel');
      assert.ok(!fs.existsSync(ran), `${shell}: the refused kubectl ran`);
      type(`${home}/bin/kubectl delete pod x; echo done-${two}`);
      await waitFor(/done-2\n/, 'the development call');
      assert.strictEqual(fs.readFileSync(ran, 'utf8'), 'delete pod x\n');
      assert.strictEqual((screen().match(/Type prod-eu to run it/g) ?? []).length, 1, 'asked once');
      // A quoted path is caught too; a production psql session started by its path asks (it cannot be read-only).
      type(`"${home}/bin/kubectl" --context prod-eu delete ns payments`);
      await waitFor(/Type prod-eu to run it[\s\S]*Type prod-eu to run it/, 'the quoted path');
      type('no');
      type(`PGSERVICE=prod ${home}/bin/psql`);
      await waitFor(/interactive psql session started by its path[\s\S]*to run it/, 'the psql session');
      type('no');
      type(`echo after-${two}`);
      await waitFor(/after-2\n/, 'the shell goes on');
      assert.strictEqual(fs.readFileSync(ran, 'utf8'), 'delete pod x\n', 'nothing refused ran');
      if (shell !== 'fish') assert.ok(fs.existsSync(path.join(home, 'hook-ran')), `${shell}: the user's own hook still runs`);
      const audit = fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8').trim().split('\n');
      assert.deepStrictEqual(audit.map((l) => (JSON.parse(l) as { decision: string }).decision),
        ['cancelled', 'cancelled', 'cancelled']);
    });
  }
});
