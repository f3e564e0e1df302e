import * as assert from 'assert';
import { maskSecrets, parseConnectionString } from '../../src/core/connection';

describe('connection strings', () => {
  const table: Array<[string, string | undefined, string | undefined, string | undefined]> = [
    // input, scheme, host, database
    ['postgres://u:p@db.example.com:5432/app', 'postgres', 'db.example.com', 'app'],
    ['postgresql://db.example.com/app?sslmode=require', 'postgresql', 'db.example.com', 'app'],
    ['mysql://root:pw@10.1.2.3/shop', 'mysql', '10.1.2.3', 'shop'],
    ['mariadb://maria.internal:3306/x', 'mariadb', 'maria.internal', 'x'],
    ['mongodb://u:p@h1:27017,h2:27017/orders?replicaSet=rs0', 'mongodb', 'h1,h2', 'orders'],
    ['mongodb+srv://u:p@cluster0.prod.mongodb.net/app', 'mongodb+srv', 'cluster0.prod.mongodb.net', 'app'],
    ['redis://:pw@cache:6379/2', 'redis', 'cache', 'db2'],
    ['rediss://cache.prod.example.com:6380', 'rediss', 'cache.prod.example.com', undefined],
    ['sqlserver://sql.example.com:1433;databaseName=Shop;password=x', 'sqlserver', 'sql.example.com', 'Shop'],
    ['jdbc:postgresql://pg-prd:5432/ledger?user=a&password=b', 'jdbc:postgresql', 'pg-prd', 'ledger'],
    ['jdbc:sqlserver://mssql-stg:1433;databaseName=Shop;password=x', 'jdbc:sqlserver', 'mssql-stg', 'Shop'],
    ['jdbc:oracle:thin:@ora-prod:1521:ORCL', 'jdbc:oracle', 'ora-prod', 'ORCL'],
    ['Server=tcp:prod-sql.database.windows.net,1433;Initial Catalog=Shop;User ID=a;Password=p', 'ado.net', 'prod-sql.database.windows.net', 'Shop'],
    ['Data Source=.\\SQLEXPRESS;Database=Dev;Integrated Security=True', 'ado.net', 'localhost', 'Dev'],
    ['Host=pg.example.com;Database=app;Username=u;Password=p', 'ado.net', 'pg.example.com', 'app'],
    ['https://example.com', undefined, undefined, undefined],
    ['just text', undefined, undefined, undefined],
    ['Server=x', undefined, undefined, undefined],
  ];
  for (const [input, scheme, host, database] of table) {
    it(`${input} → ${scheme ?? 'not a connection string'}`, () => {
      const info = parseConnectionString(input);
      assert.deepStrictEqual(info && [info.scheme, info.host, info.database], scheme ? [scheme, host, database] : undefined);
    });
  }
});

describe('masking', () => {
  const table: Array<[string, string]> = [
    ['postgres://app:s3cr3t@db/app', 'postgres://app:***@db/app'],
    ['psql postgres://a:b%40c@h/d -c "x"', 'psql postgres://a:***@h/d -c "x"'],
    ['mongodb://u:p@h1,h2/db', 'mongodb://u:***@h1,h2/db'],
    ['jdbc:postgresql://h/db?user=a&password=hunter2&ssl=true', 'jdbc:postgresql://h/db?user=a&password=***&ssl=true'],
    ['Server=h;Database=d;Password=abc;', 'Server=h;Database=d;Password=***;'],
    ['mysql --password=hunter2 -h prod', 'mysql --password=*** -h prod'],
    ['redis://user@h:6379', 'redis://user@h:6379'],
    ['no secrets here', 'no secrets here'],
  ];
  for (const [input, expected] of table) it(`${input}`, () => assert.strictEqual(maskSecrets(input), expected));
  it('ADO.NET passwords with spaces are masked whole', () => {
    const info = parseConnectionString('Server=h;Database=d;User Id=u;Password=two words;Encrypt=True');
    assert.strictEqual(info?.masked, 'Server=h;Database=d;User Id=u;Password=***;Encrypt=True');
  });
  it('a URL password containing "@" is masked whole', () => {
    assert.strictEqual(parseConnectionString('postgres://u:p@ss@host/db')?.masked, 'postgres://u:***@host/db');
  });
});
