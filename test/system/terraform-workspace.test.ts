// The Terraform workspace detector against the real terraform: for each state of a folder (no data folder, an
// environment file with spaces, an empty one, TF_WORKSPACE, TF_DATA_DIR), the workspace the detector reports is
// the one `terraform workspace show` prints. Skips (saying so) where terraform is not installed.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { terraformWorkspace } from '../../src/core/terraform';
import { tempDir, writeTree } from '../unit/helpers';
import { which } from './support';

describe('terraform workspace against the real terraform', function () {
  this.timeout(60_000);
  before(function () {
    if (!which('terraform')) {
      console.log('      (terraform is not installed here: skipped)');
      this.skip();
    }
  });
  const states: [string, Record<string, string>, NodeJS.ProcessEnv][] = [
    ['no data folder', {}, {}],
    ['an environment file', { '.terraform/environment': 'prod-eu' }, {}],
    ['spaces and a newline around the name', { '.terraform/environment': '  stg \n' }, {}],
    ['an empty environment file', { '.terraform/environment': '' }, {}],
    ['TF_WORKSPACE over the file', { '.terraform/environment': 'prod-eu' }, { TF_WORKSPACE: 'dev' }],
    ['TF_DATA_DIR', { '.terraform/environment': 'dev', 'alt/environment': 'prod-us' }, { TF_DATA_DIR: 'alt' }],
    ['an empty TF_DATA_DIR is unset', { '.terraform/environment': 'prod-eu' }, { TF_DATA_DIR: '' }],
  ];
  for (const [name, files, extra] of states) {
    it(`${name}: the same workspace as terraform workspace show`, () => {
      const dir = tempDir('tf-ws-');
      writeTree(dir, files);
      fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
      const env = { PATH: process.env.PATH, HOME: path.join(dir, 'home'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...extra };
      const r = spawnSync('terraform', ['workspace', 'show'], { cwd: dir, env, encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(terraformWorkspace(dir, env, nodeFiles, []).workspace, r.stdout.trim());
    });
  }
});
