import * as vscode from 'vscode';

/** What a production confirmation shows. */
export interface NameConfirmation {
  /** The modal's question. */
  readonly message: string;
  /** The modal's detail lines. */
  readonly detail?: string;
  /** Title of the input box that follows. */
  readonly inputTitle: string;
  /** Prompt of the input box. */
  readonly prompt: string;
  /** The name that must be typed exactly. */
  readonly name: string;
}

/**
 * The one confirmation flow for terminal commands and tasks: a modal whose safe choice (Cancel) is the close
 * affordance, then the user must type the target's name. True only on an exact match.
 */
export async function confirmByName(c: NameConfirmation): Promise<boolean> {
  interface Choice extends vscode.MessageItem { readonly id: 'proceed' | 'cancel' }
  const choice = await vscode.window.showWarningMessage<Choice>(
    c.message,
    { modal: true, detail: c.detail },
    { title: vscode.l10n.t('Type the name to run it…'), id: 'proceed' },
    { title: vscode.l10n.t('Cancel'), id: 'cancel', isCloseAffordance: true },
  );
  if (choice?.id !== 'proceed') return false;
  const typed = await vscode.window.showInputBox({
    title: c.inputTitle,
    prompt: c.prompt,
    placeHolder: c.name,
    ignoreFocusOut: true,
    validateInput: (v) => (v === c.name ? undefined : vscode.l10n.t('Type exactly "{0}" to proceed, or press Escape to cancel', c.name)),
  });
  return typed === c.name;
}
