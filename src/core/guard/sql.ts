import type * as PgAst from 'pgsql-ast-parser';

type Statement = PgAst.Statement;

/** What a piece of SQL does that needs a confirmation against production. */
export interface SqlVerdict {
  readonly destructive: boolean;
  /** `DROP TABLE`, `DELETE without WHERE`, `unparseable SQL`, … */
  readonly what?: string;
}

function statementVerdict(s: Statement): string | undefined {
  const type = s.type as string;
  if (type.startsWith('drop')) return type.toUpperCase();
  if (type === 'truncate table') return 'TRUNCATE';
  if (type === 'delete' && !(s as { where?: unknown }).where) return 'DELETE without WHERE';
  if (type === 'update' && !(s as { where?: unknown }).where) return 'UPDATE without WHERE';
  if (type === 'alter table') {
    const drop = ((s as { changes?: Array<{ type: string }> }).changes ?? []).find((c) => c.type.startsWith('drop'));
    if (drop) return `ALTER TABLE … ${drop.type.toUpperCase()}`;
  }
  return undefined;
}

/**
 * Reads SQL with a real parser (pgsql-ast-parser, loaded on first use): DROP, TRUNCATE, DELETE/UPDATE without
 * WHERE and ALTER … DROP are destructive; so is SQL the parser cannot read (a guard must not guess "safe").
 */
export function analyzeSql(text: string): SqlVerdict {
  const trimmed = text.trim();
  if (trimmed === '') return { destructive: false };
  let statements: Statement[];
  try {
    // Loaded on first use: only SQL tools pay for the parser.
    const { parse } = require('pgsql-ast-parser') as typeof PgAst;
    statements = parse(trimmed);
  } catch {
    return { destructive: true, what: 'SQL that could not be parsed' };
  }
  const found = statements.map(statementVerdict).filter((x): x is string => !!x);
  return found.length > 0 ? { destructive: true, what: [...new Set(found)].join(', ') } : { destructive: false };
}
