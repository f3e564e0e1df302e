// A workspace folder's Terraform workspace as a status-bar signal (the same reading as the guard's target; checked
// against `terraform workspace show` in test/system/terraform-workspace.test.ts).
import * as assert from 'assert';
import * as path from 'path';
import { detectAll } from '../../src/core/detect';
import { nodeFiles } from '../../src/core/files';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { detectTerraform } from '../../src/core/terraform';
import { tempDir, writeTree } from './helpers';

describe('terraform workspace detection', () => {
  const folder = (files: Record<string, string>): string => {
    const d = path.join(tempDir('tf-unit-'), 'infra');
    writeTree(d, { 'main.tf': '', ...files });
    return d;
  };
  const summary = (dir: string, env: NodeJS.ProcessEnv = {}): unknown => {
    const r = detectTerraform(dir, env, nodeFiles);
    const s = r.signals[0];
    return s ? [s.name, s.source.replace(dir, '.'), s.line, s.identifiers] : r.problems.map((p) => p.message);
  };
  it('the environment file names the workspace (trimmed, as terraform does)', () => {
    const d = folder({ '.terraform/environment': '  prod-eu \n' });
    assert.deepStrictEqual(summary(d), ['prod-eu', './.terraform/environment', 1, ['prod-eu', 'infra']]);
  });
  it('TF_WORKSPACE wins over the file', () => {
    const d = folder({ '.terraform/environment': 'prod-eu' });
    assert.deepStrictEqual(summary(d, { TF_WORKSPACE: 'staging' }), ['staging', 'env:TF_WORKSPACE', undefined, ['staging', 'infra']]);
  });
  it('TF_DATA_DIR moves the data folder, relative to the folder', () => {
    const d = folder({ '.terraform/environment': 'dev', 'state/environment': 'prod-us' });
    assert.deepStrictEqual((summary(d, { TF_DATA_DIR: 'state' }) as unknown[])[0], 'prod-us');
  });
  it('the default workspace with no backend record is not a signal; an empty file is default', () => {
    assert.deepStrictEqual(summary(folder({})), []);
    assert.deepStrictEqual(summary(folder({ '.terraform/environment': '\n' })), []);
  });
  it('the backend terraform init recorded names the target even on default', () => {
    const d = folder({ '.terraform/terraform.tfstate': JSON.stringify({ backend: { type: 's3', config: { bucket: 'acme-prod-tfstate', key: 'network.tfstate' } } }) });
    const s = detectTerraform(d, {}, nodeFiles).signals[0];
    assert.deepStrictEqual([s.name, s.identifiers, s.details.backend], ['default', ['default', 'infra', 'acme-prod-tfstate', 'network.tfstate'], 's3']);
  });
  it('an invalid TF_WORKSPACE or an unreadable backend record is a problem', () => {
    assert.match(String((summary(folder({}), { TF_WORKSPACE: 'a b' }) as string[])[0]), /not a valid workspace name/);
    const r = detectTerraform(folder({ '.terraform/terraform.tfstate': '{' }), {}, nodeFiles);
    assert.deepStrictEqual(r.problems.map((p) => p.message), ['terraform backend record is not JSON']);
    // Both at once: neither hides the other.
    const both = detectTerraform(folder({ '.terraform/terraform.tfstate': '{' }), { TF_WORKSPACE: 'a b' }, nodeFiles);
    assert.deepStrictEqual(both.problems.map((p) => p.message),
      ['terraform backend record is not JSON', 'TF_WORKSPACE "a b" is not a valid workspace name']);
  });
  it('classified like any signal: a prod workspace makes the folder production', async () => {
    const d = folder({ '.terraform/environment': 'prod-eu' });
    const r = await detectAll({ env: {}, home: tempDir('tf-home-'), folders: [d], settings: DEFAULT_SETTINGS, files: nodeFiles });
    assert.deepStrictEqual([r.environment, r.signals.find((s) => s.kind === 'terraform')?.name], ['production', 'prod-eu']);
  });
});
