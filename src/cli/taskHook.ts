import { maskSecrets } from '../core/mask';
import type { TaskRequest, TaskResponse } from '../core/guard/protocol';
import { envFlag, TASK_FLAG_ENV } from '../core/tasks';
import { askWindow } from './confirm';
import { REFUSED_EXIT } from './run';
import { trustedSocket } from './state';

const USAGE = 'usage: prod-guard task-hook --state DIR --pid PID -- COMMAND_LINE\n';

/** How long the hook waits for the window's socket to come up (it is set up just after activation). */
const SOCKET_WAIT_MS = 5000;

/**
 * `prod-guard task-hook`: run by the bash task hook (BASH_ENV) before a VS Code task's command. Asks the window
 * that started the task; exit 0 runs the command (printing the confirmation's nonce, if any, on stdout for the
 * hook to export), REFUSED_EXIT stops it. When no window answers, a task its environment flags destructive is
 * refused (nobody can say whether it is production); any other runs, its guarded tools still behind the shims.
 */
export async function taskHookCommand(
  args: readonly string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void,
): Promise<number> {
  let stateDir: string | undefined;
  let pid: number | undefined;
  let i = 0;
  for (; i < args.length && args[i] !== '--'; i++) {
    if (args[i] === '--state') stateDir = args[++i];
    else if (args[i] === '--pid') pid = Number(args[++i]);
    else {
      err(`prod-guard: task-hook: unknown option "${args[i]}"\n${USAGE}`);
      return 2;
    }
  }
  const command = args.slice(i + 1).join(' ');
  if (!stateDir || pid === undefined || !Number.isSafeInteger(pid) || pid <= 0 || i >= args.length) {
    err(`prod-guard: task-hook: missing arguments\n${USAGE}`);
    return 2;
  }
  const flagged = envFlag(env);
  const socket = env.PRODGUARD_IPC;
  const token = env.PRODGUARD_IPC_TOKEN;
  let answer: TaskResponse | undefined;
  // A task VS Code starts as the folder opens can start while the window's socket is still coming up: wait.
  for (let waited = 0; socket && !trustedSocket(stateDir, socket) && waited < SOCKET_WAIT_MS; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (socket && token && trustedSocket(stateDir, socket)) {
    const request: TaskRequest = { token, task: { pid, command: maskSecrets(command), cwd: process.cwd(), flagged } };
    const cancelled: TaskResponse = { decision: 'cancelled' };
    answer = await askWindow<TaskResponse>(socket, request, (msg) => {
      if (msg.decision === 'run') return { decision: 'run' };
      const nonce = msg.nonce;
      if (msg.decision === 'confirmed' && typeof nonce === 'string') return { decision: 'confirmed', nonce };
      return cancelled;
    }, cancelled);
  }
  if (answer === undefined) {
    if (!flagged) return 0;
    err(`prod-guard: refused: this task is flagged destructive (${TASK_FLAG_ENV}) and no VS Code window answered`
      + ' to confirm it.\nprod-guard: run it again once the window is ready; nothing ran.\n');
    return REFUSED_EXIT;
  }
  if ('error' in answer || answer.decision === 'cancelled') {
    err('prod-guard: task cancelled in VS Code; nothing ran.\n');
    return REFUSED_EXIT;
  }
  if (answer.decision === 'confirmed') out(`${answer.nonce}\n`);
  return 0;
}
