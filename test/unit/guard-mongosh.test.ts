import * as assert from 'assert';
import { nodeFiles } from '../../src/core/files';
import { jsTokens } from '../../src/core/guard/js';
import { judgeMongoScript, mongoshModule } from '../../src/core/guard/tools/mongosh';
import { type ToolContext, type VerdictCode, asks } from '../../src/core/guard/types';
import { fixture } from './helpers';

/** Splits a test command line like a POSIX shell (single and double quotes, backslashes). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      has = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; line[j] !== '"'; j++) {
        if (line[j] === '\\' && ['"', '\\', '$', '`'].includes(line[j + 1])) j++;
        cur += line[j];
      }
      i = j;
      has = true;
    } else if (c === '\\') {
      cur += line[++i];
      has = true;
    } else if (c === ' ') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

function ctxFor(home = '/nonexistent-home', env: NodeJS.ProcessEnv = {}): ToolContext {
  return { env, home, cwd: fixture('guard-mongosh'), files: nodeFiles };
}

interface Row {
  readonly cmd: string;
  readonly stdin?: string;
  readonly code: VerdictCode;
  /** Target names, comma separated (unresolved ones end with `?`). */
  readonly target?: string;
  readonly secrets?: readonly number[];
  readonly home?: string;
  readonly env?: NodeJS.ProcessEnv;
}

const P = 'prod-db.example.com';
const L = '127.0.0.1:27017';
const SCRIPT = '(a server the script chooses)?';

const ROWS: Row[] = [
  // --- where mongosh connects
  { cmd: `${P} --eval "db.c.find()"`, code: 'readOnly', target: `${P}:27017` },
  { cmd: `${P}:27018/app --eval "db.c.find()"`, code: 'readOnly', target: `${P}:27018/app` },
  { cmd: `mongodb://${P}/app --eval "db.c.drop()"`, code: 'destructive', target: `${P}/app` },
  { cmd: `mongodb://u:pw@${P}:27017/app?authSource=admin --eval "db.c.find()"`, code: 'readOnly', target: `${P}:27017/app`,
    secrets: [0] },
  { cmd: `mongodb+srv://u:pw@cluster0.prod.mongodb.net/shop --eval "db.c.drop()"`, code: 'destructive',
    target: 'cluster0.prod.mongodb.net/shop', secrets: [0] },
  { cmd: 'mongodb://a.prod:1,b.prod:2/app?replicaSet=rs0 --eval "db.c.drop()"', code: 'destructive', target: 'a.prod:1,b.prod:2/app' },
  { cmd: 'prod --eval "db.c.drop()"', code: 'destructive', target: `${L}/prod` }, // a database name on the local server
  { cmd: 'app --host prod-db --eval "db.c.drop()"', code: 'destructive', target: 'prod-db:27017/app' },
  { cmd: '--host prod-db --port 27018 --eval "db.c.drop()"', code: 'destructive', target: 'prod-db:27018' },
  { cmd: '--host prod-db:27019 --eval "db.c.drop()"', code: 'destructive', target: 'prod-db:27019' },
  { cmd: '--port 27018 --eval "db.c.drop()"', code: 'destructive', target: '127.0.0.1:27018' },
  { cmd: '--host rs0/a.prod:1,b.prod:2 --eval "db.c.drop()"', code: 'destructive', target: 'a.prod:1,b.prod:2' },
  { cmd: '--host rs0/a.prod:1,b.prod:2 mongodb://dev/x --eval "db.c.drop()"', code: 'destructive',
    target: 'a.prod:1,b.prod:2/mongodb://dev/x' }, // the seed list wins: the URI is only a database name
  { cmd: '--host a.prod,b.prod --port 5 --eval "db.c.drop()"', code: 'destructive', target: 'a.prod:5,b.prod:5' },
  { cmd: '--eval "db.c.drop()" --host prod-db', code: 'destructive', target: 'prod-db:27017' }, // options after positionals
  { cmd: '--eval "db.c.drop()"', code: 'destructive', target: L },
  { cmd: '--host=prod-db --eval=db.c.drop()', code: 'destructive', target: 'prod-db:27017' },
  { cmd: '-host prod-db -eval db.c.drop()', code: 'destructive', target: 'prod-db:27017' }, // one dash, long name
  { cmd: '--host dev-db --host prod-db --eval "db.c.drop()"', code: 'destructive',
    target: 'dev-db:27017?,prod-db:27017?' },
  { cmd: '--host prod-db --no-host --eval "db.c.drop()"', code: 'destructive' },
  { cmd: '--host "" prod-db.example.com --eval "db.c.drop()"', code: 'destructive', target: `${P}:27017` },
  { cmd: 'report.js', code: 'readOnly', target: L }, // a .js file is not an address
  { cmd: `report.js ${P}`, code: 'unreadable' }, // the second positional is a file, not an address
  { cmd: `${P} report.js`, code: 'readOnly', target: `${P}:27017` },
  { cmd: `${P}/shop report.js cleanup.js`, code: 'destructive', target: `${P}:27017/shop` },
  { cmd: `-f report.js ${P}`, code: 'readOnly', target: `${P}:27017` },
  { cmd: `--file=cleanup.js ${P}`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--nodb ${P} --eval "print(1)"`, code: 'unreadable', target: '(no server: --nodb)?' }, // with --nodb it is a file
  { cmd: '--nodb --eval "db.c.drop()"', code: 'localOnly', target: '(no server: --nodb)?' },
  { cmd: '--nodb --eval "const c = connect(\'mongodb://prod-db/app\'); c.users.drop()"', code: 'destructive' },
  { cmd: '--nodb hop.js', code: 'unknown' },
  { cmd: `--nodb=false ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--nodb false ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--no-nodb ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--nodb=yes ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` }, // only "true" is true
  { cmd: `--nodb true ${P} --eval "db.c.drop()"`, code: 'destructive', target: '(no server: --nodb)?' }, // P is a file
  { cmd: `--tls false ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--quiet TRUE ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${L}/TRUE,${SCRIPT}` }, // "TRUE": address
  { cmd: `--json=relaxed ${P} --eval "db.c.countDocuments()"`, code: 'readOnly', target: `${P}:27017` },
  { cmd: `-u admin -p s3cret ${P} --eval "db.c.find()"`, code: 'readOnly', target: `${P}:27017`, secrets: [3] },
  { cmd: `--username admin --password=s3cret ${P} --eval "db.c.find()"`, code: 'readOnly', secrets: [2] },
  { cmd: `--p s3cret ${P} --eval "db.c.find()"`, code: 'readOnly', secrets: [1] },
  { cmd: `--tlsCertificateKeyFilePassword kp --awsSecretAccessKey sk ${P} --eval "1"`, code: 'readOnly', secrets: [1, 3] },
  { cmd: `--sslPEMKeyPassword kp ${P} --eval "1"`, code: 'readOnly', secrets: [1] },
  { cmd: `-p ${P} --eval "db.c.drop()"`, code: 'destructive', target: L, secrets: [1] }, // -p took the address
  { cmd: `${P}:27017/app`, code: 'interactive', target: `${P}:27017/app` },
  { cmd: P, stdin: 'db.c.find()\n', code: 'readOnly' },
  { cmd: P, stdin: 'use app\ndb.users.deleteMany({})\n', code: 'destructive' },
  { cmd: P, stdin: 'show dbs\nshow collections\nit\n', code: 'readOnly' },
  { cmd: `${P} --shell --eval "db.c.find()"`, stdin: 'db.c.drop()\n', code: 'destructive' },
  { cmd: `${P} --eval "db.c.find()"`, stdin: 'db.c.drop()\n', code: 'readOnly' }, // stdin unread without --shell
  { cmd: P, code: 'interactive', home: fixture('guard-mongosh', 'home') },
  { cmd: P, stdin: 'db.c.find()\n', code: 'readOnly', home: fixture('guard-mongosh', 'home') },
  { cmd: P, stdin: 'db.c.find()\n', code: 'destructive', home: fixture('guard-mongosh', 'home-rw') }, // ~/.mongoshrc.js
  { cmd: `--norc ${P}`, stdin: 'db.c.find()\n', code: 'readOnly', home: fixture('guard-mongosh', 'home-rw') },
  { cmd: `${P} --eval "db.c.find()"`, code: 'readOnly', home: fixture('guard-mongosh', 'home-rw') }, // rc: interactive only
  { cmd: '', code: 'interactive', target: '127.0.0.1:27017?', env: { MONGOSH_FORCE_CONNECTION_STRING_PROMPT: '1' } },
  // --- what mongosh refuses or only prints
  { cmd: `${P} --help --eval "db.c.drop()"`, code: 'noEffect' },
  { cmd: '--version', code: 'noEffect' },
  { cmd: '-h', code: 'noEffect' },
  { cmd: '--build-info', code: 'noEffect' },
  { cmd: `${P} --evil --eval "db.c.drop()"`, code: 'unparseable' },
  { cmd: `${P} -ppw --eval "db.c.find()"`, code: 'unparseable' },
  { cmd: `${P} --retry-writes --eval "db.c.find()"`, code: 'unparseable' },
  { cmd: `${P} ---eval "db.c.drop()"`, code: 'interactive' }, // yargs sets "-eval" (ignored) to the script
  { cmd: `${P} --host.x y --eval "db.c.find()"`, code: 'unparseable' },
  { cmd: `${P} -- --eval "db.c.find()"`, code: 'unparseable' },
  { cmd: `--evil ${P} --eval "db.c.drop()"`, code: 'unparseable', target: `${P}:27017,${L}` },
  // --- scripts: reads pass
  { cmd: `${P} --eval "db.users.find({age: {\\$gt: 30}}).limit(10).toArray()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.findOne()"`, code: 'readOnly' },
  { cmd: `${P} --eval "printjson(db.users.countDocuments({}))"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.estimatedDocumentCount()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.distinct('country')"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.getIndexes()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.stats()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.stats().size"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.getCollectionNames().forEach(c => print(c))"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.serverStatus().connections"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.adminCommand({listDatabases: 1})"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.adminCommand('ping')"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.runCommand({serverStatus: 1}).ok"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.runCommand({collStats: 'users'})"`, code: 'readOnly' },
  { cmd: `${P} --eval "rs.status()"`, code: 'readOnly' },
  { cmd: `${P} --eval "rs.conf()"`, code: 'readOnly' },
  { cmd: `${P} --eval "sh.status()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.currentOp()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.find().sort({_id: -1}).limit(1).next()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.find().explain('executionStats')"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.aggregate([{\\$match: {a: 1}}, {\\$group: {_id: '\\$b', n: {\\$sum: 1}}}]).toArray()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.aggregate({\\$match: {}}, {\\$count: 'n'})"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.getSiblingDB('other').things.find().forEach(printjson)"`, code: 'readOnly' },
  { cmd: `${P} --eval "db['users'].find()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.getCollection('users').find({}, {name: 1})"`, code: 'readOnly' },
  { cmd: `${P} --eval "const n = db.a.countDocuments(); const m = db.b.countDocuments(); print(n + m)"`, code: 'readOnly' },
  { cmd: `${P} --eval "function show2(c) { return db[c].countDocuments() } show2('users')"`, code: 'readOnly' },
  { cmd: `${P} --eval "const f = (x) => x * 2; print(f(2))"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.find({name: /^bob/i}).count()"`, code: 'readOnly' },
  { cmd: `${P} --eval "print(1 / 2 / 3)"`, code: 'readOnly' },
  { cmd: `${P} --eval "// db.users.drop()\ndb.users.find()"`, code: 'readOnly' },
  { cmd: `${P} --eval "/* db.users.drop() */ db.users.find()"`, code: 'readOnly' },
  { cmd: `${P} --eval "print('db.users.drop()')"`, code: 'readOnly' },
  { cmd: `${P} --eval "print(\\\`drop \\\${db.getName()}\\\`)"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.watch([{\\$match: {}}])"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.users.find().forEach(d => { counts[d.t] = (counts[d.t] || 0) + 1 })"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.runCommand({profile: -1})"`, code: 'readOnly' },
  { cmd: `${P} --eval "new Date(Date.now()).toISOString()"`, code: 'readOnly' },
  { cmd: `${P} --eval "ObjectId().getTimestamp()"`, code: 'readOnly' },
  { cmd: `${P} report.js`, code: 'readOnly' },
  { cmd: `${P} --eval ""`, code: 'readOnly' },
  // --- writes and drops in any syntax ask
  { cmd: `${P} --eval "db.users.drop()"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users['drop']()"`, code: 'destructive' },
  { cmd: `${P} --eval 'db.users["drop"]()'`, code: 'destructive' },
  { cmd: `${P} --eval "db.users[\\\`drop\\\`]()"`, code: 'destructive' },
  { cmd: `${P} --eval 'db["users"].deleteMany({})'`, code: 'destructive' },
  { cmd: `${P} --eval "db.getCollection('users').drop()"`, code: 'destructive' },
  { cmd: `${P} --eval "db.getSiblingDB('app').dropDatabase()"`, code: 'destructive' },
  { cmd: `${P} --eval "db.dropDatabase()"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users?.drop()"`, code: 'destructive' },
  { cmd: `${P} --eval 'db.users?.["drop"]()'`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.\\u0064rop()"`, code: 'destructive' }, // attacker: identifier escape
  { cmd: `${P} --eval "db.users['\\x64rop']()"`, code: 'destructive' }, // attacker: string escape
  { cmd: `${P} --eval "db.users['dr' + 'op']()"`, code: 'unknown' },
  { cmd: `${P} --eval "const m = 'drop'; db.users[m]()"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users[\\\`\\\${'drop'}\\\`]()"`, code: 'unknown' },
  { cmd: `${P} --eval "(0, db.users.find)()"`, code: 'unknown' },
  { cmd: `${P} --eval "const {drop} = db.users; drop.call(db.users)"`, code: 'destructive' },
  { cmd: `${P} --eval "const {find, drop: d} = db.users; [0].forEach(d, db.users)"`, code: 'destructive' },
  { cmd: `${P} --eval "[0].forEach(db.users.drop, db.users)"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.drop.apply(db.users)"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.deleteOne({_id: 1})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.remove({})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.findOneAndDelete({})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.dropIndex('a_1')"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.dropIndexes()"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.renameCollection('old')"`, code: 'destructive' },
  { cmd: `${P} --eval "db.dropUser('bob')"`, code: 'destructive' },
  { cmd: `${P} --eval "db.shutdownServer()"`, code: 'destructive' },
  { cmd: `${P} --eval "db.killOp(123)"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.insertOne({a: 1})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.insertMany([{a: 1}])"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.updateMany({}, {\\$set: {a: 1}})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.updateOne({_id: 1}, {\\$set: {a: 1}})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.replaceOne({_id: 1}, {})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.findOneAndUpdate({}, {\\$inc: {n: 1}})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.bulkWrite([])"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.createIndex({a: 1})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.createCollection('x')"`, code: 'mutating' },
  { cmd: `${P} --eval "db.createUser({user: 'x', pwd: 'y', roles: []})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.setProfilingLevel(2)"`, code: 'mutating' },
  { cmd: `${P} --eval "db.fsyncLock()"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.mapReduce(m, r, {out: 'x'})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.users.initializeOrderedBulkOp().find({}).remove()"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.find().forEach(d => db.users.deleteOne({_id: d._id}))"`, code: 'destructive' },
  { cmd: `${P} --eval "db.runCommand({dropDatabase: 1})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.runCommand({'drop': 'users'})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.runCommand({delete: 'users', deletes: [{q: {}, limit: 0}]})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.runCommand({insert: 'users', documents: [{}]})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.runCommand({update: 'users', updates: []})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.runCommand('dropDatabase')"`, code: 'destructive' },
  { cmd: `${P} --eval "db.adminCommand({shutdown: 1})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.adminCommand({setParameter: 1, logLevel: 2})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.adminCommand({replSetStepDown: 60})"`, code: 'destructive' },
  { cmd: `${P} --eval "db.runCommand(cmd)"`, code: 'unknown' },
  { cmd: `${P} --eval "db.runCommand({[k]: 1})"`, code: 'unknown' },
  { cmd: `${P} --eval "db.runCommand({...cmd})"`, code: 'unknown' },
  { cmd: `${P} --eval "db.runCommand({profile: 2})"`, code: 'mutating' },
  { cmd: `${P} --eval "db.runCommand({aggregate: 'users', pipeline: [], cursor: {}})"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users.aggregate([{\\$match: {}}, {\\$out: 'copy'}])"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.aggregate([{\\$merge: {into: 'copy'}}])"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.aggregate([{'\\$out': 'copy'}])"`, code: 'destructive' },
  { cmd: `${P} --eval "db.users.aggregate([{['\\$o' + 'ut']: 'copy'}])"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users.aggregate(stages)"`, code: 'unknown' },
  { cmd: `${P} --eval "const p = [{\\$match: {}}]; p.push(x); db.users.aggregate(p)"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users.aggregate([stage])"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users.aggregate([...stages])"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users.aggregate(JSON.parse(s))"`, code: 'unknown' },
  { cmd: `${P} --eval "const s = '\\$out'; print(s)"`, code: 'destructive' }, // $out anywhere asks
  { cmd: `${P} archive.js`, code: 'destructive' },
  { cmd: `${P} cleanup.js`, code: 'destructive' },
  { cmd: `${P} missing.js`, code: 'unreadable' },
  { cmd: `${P} -f missing.js --eval "db.c.find()"`, code: 'unreadable' },
  { cmd: `${P} --eval "db.c.find()" --eval "db.c.drop()"`, code: 'destructive' }, // --eval repeats
  // --- code the guard cannot follow
  { cmd: `${P} --eval "eval('db.users.drop()')"`, code: 'unknown', target: `${P}:27017,${SCRIPT}` },
  { cmd: `${P} --eval "new Function('return db.users.drop()')()"`, code: 'unknown' },
  { cmd: `${P} --eval "load('other.js')"`, code: 'unknown' },
  { cmd: `${P} --eval "require('fs')"`, code: 'unknown' },
  { cmd: `${P} --eval "globalThis.db.users.find()"`, code: 'unknown' },
  { cmd: `${P} --eval "this['db'].users.find()"`, code: 'readOnly' },
  { cmd: `${P} --eval "this[k]('x')"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users.constructor"`, code: 'unknown' },
  { cmd: `${P} --eval "db.users.find().helper()"`, code: 'unknown' },
  { cmd: `${P} --eval "myHelper()"`, code: 'unknown' },
  { cmd: `${P} --eval "setTimeout('db.users.drop()', 0)"`, code: 'unknown' },
  { cmd: `${P} --eval "(function () { db.users.find() })()"`, code: 'unknown' },
  { cmd: `${P} --eval "rs.stepDown()"`, code: 'mutating' },
  { cmd: `${P} --eval "rs.reconfig(cfg)"`, code: 'mutating' },
  { cmd: `${P} --eval "rs['add']('h:1')"`, code: 'mutating' },
  { cmd: `${P} --eval "sh.enableSharding('app')"`, code: 'mutating' },
  { cmd: `${P} --eval "sh.stopBalancer()"`, code: 'mutating' },
  { cmd: `${P} --eval "db.getMongo().getDB('x').c.find()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.getMongo().connect('mongodb://other')"`, code: 'unknown' },
  { cmd: `${P} --eval "print('unterminated)"`, code: 'unparseable' },
  { cmd: `${P} --eval "/* open"`, code: 'unparseable' },
  { cmd: `${P} --eval "db.users.find(/unterminated)"`, code: 'unparseable' },
  // --- scripts that open their own connection get a target the guard cannot name (judged even from dev)
  { cmd: 'mongodb://dev-db/app --eval "connect(\'mongodb://prod-db/app\').users.drop()"', code: 'destructive',
    target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --eval "new Mongo(\'prod-db\').getDB(\'a\').c.drop()"', code: 'destructive',
    target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app hop.js', code: 'unknown', target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --eval "const k = \'con\' + \'nect\'; this[k](\'mongodb://prod-db\').c.drop()"',
    code: 'destructive', target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --eval "db.c.drop()"', code: 'destructive', target: 'dev-db/app' },
  { cmd: 'mongodb://dev-db/app missing.js', code: 'unreadable', target: `dev-db/app,${SCRIPT}` },
];

function run(row: Row): { code: VerdictCode; targets: string; secrets: readonly number[] } {
  const a = mongoshModule.analyze('mongosh', shellWords(row.cmd), ctxFor(row.home, row.env));
  const v = a.judge({ text: row.stdin });
  return { code: v.code, targets: a.targets.map((t) => `${t.name}${t.unresolved ? '?' : ''}`).join(','), secrets: a.secretArgs };
}

describe('guard: mongosh golden table', () => {
  for (const row of ROWS) {
    it(`mongosh ${row.cmd}${row.stdin !== undefined ? ` <<< ${JSON.stringify(row.stdin)}` : ''} → ${row.code}`, () => {
      const r = run(row);
      assert.strictEqual(r.code, row.code);
      if (row.target !== undefined) assert.strictEqual(r.targets, row.target);
      if (row.secrets !== undefined) assert.deepStrictEqual(r.secrets, row.secrets);
    });
  }

  it('has a few hundred rows, most of them asking in production', () => {
    assert.ok(ROWS.length >= 200, `${ROWS.length} rows`);
    assert.ok(ROWS.filter((r) => asks({ code: r.code, what: '' })).length > 100);
  });
});

describe('guard: mongosh analysis', () => {
  it('the legacy `mongo` name is the same module', () => {
    const a = mongoshModule.analyze('mongo', ['prod-db.example.com', '--eval', 'db.c.drop()'], ctxFor());
    assert.strictEqual(a.judge({}).code, 'destructive');
    assert.ok(mongoshModule.tools.includes('mongo'));
  });

  it('reads stdin only in interactive mode (no script, or --shell)', () => {
    const reads = (cmd: string): boolean => mongoshModule.analyze('mongosh', shellWords(cmd), ctxFor()).readsStdin;
    assert.strictEqual(reads('prod'), true);
    assert.strictEqual(reads('prod --shell --eval 1'), true);
    assert.strictEqual(reads('prod --eval 1'), false);
    assert.strictEqual(reads('prod x.js'), false);
    assert.strictEqual(reads('--help'), false);
  });

  it('names the line that decided, in a file', () => {
    const v = mongoshModule.analyze('mongosh', ['prod-db.example.com', 'cleanup.js'], ctxFor()).judge({});
    assert.strictEqual(v.code, 'destructive');
    assert.strictEqual(v.from, 'cleanup.js');
    assert.strictEqual(v.line, 3);
    assert.match(v.statement ?? '', /deleteMany/);
  });

  it('stays within the time budget on large scripts', () => {
    const big = 'db.users.find({a: 1}).toArray();\n'.repeat(100_000) + 'db.users.drop();\n';
    const t = Date.now();
    const j = judgeMongoScript(big, 'stdin');
    assert.strictEqual(j.verdict.code, 'destructive');
    assert.strictEqual(j.verdict.line, 100_001);
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
    assert.strictEqual(judgeMongoScript('x'.repeat(9 * 1024 * 1024), 'stdin').verdict.code, 'tooLarge');
  });

  it('tokenizes JavaScript conservatively', () => {
    const names = (s: string): string[] => {
      const r = jsTokens(s);
      return r.ok ? r.tokens.map((t) => `${t.t}:${t.v}`) : [`error:${r.error}`];
    };
    assert.deepStrictEqual(names('a.\\u0062c'), ['name:a', 'punct:.', 'name:bc']);
    assert.deepStrictEqual(names("'\\x41\\u{42}'"), ['str:AB']);
    assert.deepStrictEqual(names('x = a / b / c'), ['name:x', 'punct:=', 'name:a', 'punct:/', 'name:b', 'punct:/', 'name:c']);
    assert.deepStrictEqual(names('f(/a\\/b[/]/g)'), ['name:f', 'punct:(', 'regex:/a\\/b[/]/g', 'punct:)']);
    assert.deepStrictEqual(names('`a${b}c`'), ['tmpl:a', 'name:b', 'tmpl:c']);
    assert.deepStrictEqual(names('`a${ {x: 1}.x }c`'), ['tmpl:a', 'punct:{', 'name:x', 'punct::', 'num:1', 'punct:}', 'punct:.', 'name:x', 'tmpl:c']);
    assert.deepStrictEqual(names('a?.b ?? c'), ['name:a', 'punct:?.', 'name:b', 'punct:??', 'name:c']);
    assert.deepStrictEqual(names('x ? .5 : 1'), ['name:x', 'punct:?', 'num:.5', 'punct::', 'num:1']);
    assert.match(names('"abc')[0], /^error:/);
    assert.match(names('`abc')[0], /^error:/);
    assert.match(names('`${a`')[0], /^error:/);
    assert.match(names("'\\1'")[0], /^error:/);
  });
});
