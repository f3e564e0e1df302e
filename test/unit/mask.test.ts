import * as assert from 'assert';
import { maskedCommand } from '../../src/core/guard/explain';
import { isSecretKey, maskArgv, maskSecrets } from '../../src/core/mask';
import { assertBounded } from './helpers';

describe('maskSecrets: every password, token and key spelling', () => {
  const rows: Array<[string, string]> = [
    ['postgres://app:hunter2@db-prod/shop', 'postgres://app:***@db-prod/shop'],
    ['postgres://app:pa/ss@db-prod/shop', 'postgres://app:***@db-prod/shop'],
    ['postgres://app:p@ss@db-prod/shop', 'postgres://app:***@db-prod/shop'],
    ['postgres://app:a:b:c@db-prod/shop', 'postgres://app:***@db-prod/shop'],
    ['postgres://app:p%40ss%2F@db-prod/shop', 'postgres://app:***@db-prod/shop'],
    ['mysql://root:s3cr3t@127.0.0.1:3306/x?ssl=true', 'mysql://root:***@127.0.0.1:3306/x?ssl=true'],
    ['redis://:hunter2@cache-prod:6379/0', 'redis://:***@cache-prod:6379/0'],
    ['rediss://default:hunter2@cache-prod', 'rediss://default:***@cache-prod'],
    ['mongodb+srv://u:p@cluster0.mongodb.net/app', 'mongodb+srv://u:***@cluster0.mongodb.net/app'],
    ['https://ghp_0123456789abcdefghijklmn@github.com/o/r.git', 'https://***@github.com/o/r.git'],
    ['psql postgres://a:x@h/db -c "select 1"', 'psql postgres://a:***@h/db -c "select 1"'],
    ['two postgres://a:x@h1/d and mysql://b:y@h2/e', 'two postgres://a:***@h1/d and mysql://b:***@h2/e'],
    ['postgres://db-prod/shop', 'postgres://db-prod/shop'],
    ['https://api.prod:6443/path@x', 'https://api.prod:***@x'], // over-masking is the safe side
    ['http://host:8080/path', 'http://host:8080/path'],
    ['host=db password=hunter2 dbname=x', 'host=db password=*** dbname=x'],
    ["host=db password='hunter 2' dbname=x", "host=db password='***' dbname=x"],
    ['PGPASSWORD=hunter2 psql -h db', 'PGPASSWORD=*** psql -h db'],
    ['MYSQL_PWD=hunter2 mysql', 'MYSQL_PWD=*** mysql'],
    ['REDISCLI_AUTH=hunter2 redis-cli', 'REDISCLI_AUTH=*** redis-cli'],
    ['kubectl --token=abc.def get pods', 'kubectl --token=*** get pods'],
    ['helm --kube-token=abc list', 'helm --kube-token=*** list'],
    ['mysql --password=hunter2 -h db', 'mysql --password=*** -h db'],
    ['aws_secret_access_key = wJalrXUtnFEMI', 'aws_secret_access_key = ***'],
    ['AWS_SECRET_ACCESS_KEY=wJalr AWS_ACCESS_KEY_ID=AKIA1', 'AWS_SECRET_ACCESS_KEY=*** AWS_ACCESS_KEY_ID=AKIA1'],
    ['AWS_SESSION_TOKEN=FQoG aws s3 ls', 'AWS_SESSION_TOKEN=*** aws s3 ls'],
    ['Server=db;Database=x;Password=hunter2;', 'Server=db;Database=x;Password=***;'],
    ['?api_key=abc&x=1', '?api_key=***&x=1'],
    ['{"password": "hunter 2", "user": "a"}', '{"password": "***", "user": "a"}'],
    ['{"SecretAccessKey":"abc"}', '{"SecretAccessKey":"***"}'],
    ['sslpassword=abc', 'sslpassword=***'],
    ['authSource=admin author=me passfile=/x/.pgpass', 'authSource=admin author=me passfile=/x/.pgpass'],
    ['', ''],
    ['{"password" : "x y", "user": "a"}', '{"password" : "***", "user": "a"}'],
    ["{'password': 'x'}", "{'password': '***'}"],
    ['db:\n  password: hunter 2\n  host: x', 'db:\n  password: ***\n  host: x'],
    ['Server=db;Password=a b c;Database=x', 'Server=db;Password=***;Database=x'],
    ['host=db password=ab"cd;ef dbname=x', 'host=db password=*** dbname=x'],
    ["password='it\\'s a secret' dbname=x", "password='***' dbname=x"],
    ["ALTER ROLE app PASSWORD 'hunter2'", "ALTER ROLE app PASSWORD '***'"],
    ["CREATE USER a IDENTIFIED BY 'hunter2'", "CREATE USER a IDENTIFIED BY '***'"],
    ["CREATE USER a IDENTIFIED WITH mysql_native_password BY 'x''y'", "CREATE USER a IDENTIFIED WITH mysql_native_password BY '***'"],
    ["SET PASSWORD = PASSWORD('hunter2')", 'SET PASSWORD = ***'],
    ["SET PASSWORD FOR bob = PASSWORD('hunter2')", "SET PASSWORD FOR bob = PASSWORD('***')"],
    ['a password is needed', 'a password is needed'],
    ['Passwords=s3cret,other', 'Passwords=***'], // memorydb shorthand
    ['asn=65000,authKey=s3cret', 'asn=65000,authKey=***'], // directconnect shorthand
  ];
  for (const [input, expected] of rows) it(JSON.stringify(input), () => assert.strictEqual(maskSecrets(input), expected));

  it('recognizes secret keys in every spelling and leaves look-alikes', () => {
    for (const k of ['password', 'PGPASSWORD', 'MYSQL_PWD', 'pwd', 'passwd', '--pass', 'token', 'AUTH_TOKEN', 'api-key', 'ApiKey',
      'client_secret', 'aws_secret_access_key', 'REDISCLI_AUTH', 'AccountKey', 'sig', 'private_key', 'passphrase']) {
      assert.ok(isSecretKey(k), k);
    }
    for (const k of ['user', 'host', 'author', 'authSource', 'passfile', 'bypass', 'aws_access_key_id', 'tokenizer', 'keyword']) {
      assert.ok(!isSecretKey(k), k);
    }
  });
});

describe('maskArgv: the tool\'s secret arguments in every spelling', () => {
  const rows: Array<[string[], number[], string]> = [
    [['mysql', '-h', 'db', '-pHunter2', 'shop'], [3], 'mysql -h db -p*** shop'],
    [['mysql', '-sNpHunter2'], [1], 'mysql -s***'],
    [['mysql', '--password=Hunter2'], [1], 'mysql --password=***'],
    [['mysql', '--password', 'shop'], [], 'mysql --password shop'], // mysql: `shop` is the database, not a password
    [['psql', '--password', '-c', 'select 1'], [], "psql --password -c 'select 1'"], // psql: --password is boolean
    [['aws', 'iam', 'x', '--secret-access-key', 'Hunter2'], [], 'aws iam x --secret-access-key ***'],
    [['mysql', '-pHunter2=='], [1], 'mysql -p***'],
    [['psql', 'postgresql://u:pa ss Hunter2@db/x'], [], 'psql postgresql://u:***@db/x'],
    [['redis-cli', '-a', 'Hunter2', 'GET', 'k'], [2], 'redis-cli -a *** GET k'],
    [['kubectl', '--token', 'eyJhbGciOi', 'get', 'pods'], [], 'kubectl --token *** get pods'],
    [['redis-cli', 'AUTH', 'Hunter2'], [2], 'redis-cli AUTH ***'],
    [['psql', 'postgres://u:Hunter2@db/x', '-c', 'select 1'], [], "psql postgres://u:***@db/x -c 'select 1'"],
    [['psql', 'host=db password=Hunter2'], [], "psql 'host=db password=***'"],
    [['psql', "host=db password='Hunter 2'"], [], `psql 'host=db password='\\''***'\\'''`],
  ];
  for (const [argv, secrets, expected] of rows) {
    it(argv.join(' '), () => {
      const shown = maskedCommand(argv, { secretArgs: secrets.map((i) => i - 1) }); // indices after the tool name
      assert.strictEqual(shown, expected);
      assert.doesNotMatch(shown, /Hunter|eyJh|pa ss/);
    });
  }
  it('keeps the tool name and plain arguments untouched', () => {
    assert.deepStrictEqual(maskArgv(['kubectl', 'delete', 'pod', 'x']), ['kubectl', 'delete', 'pod', 'x']);
  });
});

describe('masking is linear (a 40 KB argument once took 1.5 s)', () => {
  const MB = 1024 * 1024;
  const shapes: Array<[string, string]> = [
    ['URL schemes', 'a://'.repeat(MB / 4)],
    ['URL with many @', `postgres://u:${'@'.repeat(MB)}`],
    ['colons and @', `x://${':@'.repeat(MB / 2)}`],
    ['= signs', '='.repeat(MB)],
    ['password= pairs', 'password=x '.repeat(MB / 11)],
    ['JSON keys', '"":'.repeat(MB / 3)],
    ['quotes after =', `password='${'a'.repeat(MB)}`],
    ['plain text', 'a'.repeat(MB)],
  ];
  for (const [name, text] of shapes) {
    it(`1 MB of ${name} masks in well under a second`, () => {
      const t0 = process.hrtime.bigint();
      maskSecrets(text);
      maskArgv(['psql', text]);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assertBounded(ms, `masking 1 MB of ${name}`);
    });
  }
});
