import * as fs from 'fs';
import { LINE_FILES } from '../fixtures/shell/lines';
import { fixture, tempDir, writeTree } from './helpers';

/** The world the golden lines run in (see test/fixtures/shell/lines.ts). */
export function lineWorld(): { home: string; cwd: string; env: NodeJS.ProcessEnv } {
  const home = tempDir('line-home-');
  const cwd = tempDir('line-cwd-');
  writeTree(home, {
    '.kube/config': fs.readFileSync(fixture('kubectl', 'kubeconfig.yaml')),
    '.aws/config': '[default]\nregion = eu-west-1\n[profile prod]\nregion = eu-west-1\n[profile dev]\nregion = eu-west-1\n',
    '.aws/credentials': ['default', 'prod', 'dev'].map((p) => `[${p}]\naws_access_key_id = AKIA${p.toUpperCase()}\n`
      + 'aws_secret_access_key = x\n').join(''),
  });
  writeTree(cwd, LINE_FILES);
  return { home, cwd, env: { HOME: home, USER: 'me', PATH: '/usr/bin:/bin', PGSYSCONFDIR: home } };
}
