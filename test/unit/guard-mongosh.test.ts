import * as assert from 'assert';
import * as fs from 'fs';
import * as vm from 'vm';
import { nodeFiles } from '../../src/core/files';
import { jsReplReadings, jsTokens } from '../../src/core/guard/js';
import { judgeMongoScript, mongoshModule } from '../../src/core/guard/tools/mongosh';
import { type ToolContext, type VerdictCode, asks } from '../../src/core/guard/types';
import { fixture, rng, shellWords } from './helpers';



function readFixture(name: string): string {
  return fs.readFileSync(fixture('guard-mongosh', name), 'utf8');
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
  { cmd: `mongodb://u:pw@${P}:27017/app?authSource=admin --eval "db.c.find()"`, code: 'readOnly',
    target: `${P}:27017/app`, secrets: [0] },
  { cmd: `mongodb+srv://u:pw@cluster0.prod.mongodb.net/shop --eval "db.c.drop()"`, code: 'destructive',
    target: 'cluster0.prod.mongodb.net/shop', secrets: [0] },
  { cmd: 'mongodb://a.prod:1,b.prod:2/app?replicaSet=rs0 --eval "db.c.drop()"', code: 'destructive',
    target: 'a.prod:1,b.prod:2/app' },
  { cmd: 'prod --eval "db.c.drop()"', code: 'destructive', target: `${L}/prod` }, // a database name on the local server
  { cmd: 'app --host prod-db --eval "db.c.drop()"', code: 'destructive', target: 'prod-db:27017/app' },
  { cmd: '--host prod-db --port 27018 --eval "db.c.drop()"', code: 'destructive', target: 'prod-db:27018' },
  { cmd: '--host prod-db:27019 --eval "db.c.drop()"', code: 'destructive', target: 'prod-db:27019' },
  { cmd: '--port 27018 --eval "db.c.drop()"', code: 'destructive', target: '127.0.0.1:27018' },
  { cmd: '--host rs0/a.prod:1,b.prod:2 --eval "db.c.drop()"', code: 'destructive', target: 'a.prod:1,b.prod:2' },
  { cmd: '--host rs0/a.prod:1,b.prod:2 mongodb://dev/x --eval "db.c.drop()"', code: 'destructive',
    target: 'a.prod:1,b.prod:2/mongodb://dev/x' }, // the seed list wins: the URI is only a database name
  { cmd: '--host a.prod,b.prod --port 5 --eval "db.c.drop()"', code: 'destructive', target: 'a.prod:5,b.prod:5' },
  // options after positionals
  { cmd: '--eval "db.c.drop()" --host prod-db', code: 'destructive', target: 'prod-db:27017' },
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
  // with --nodb it is a file
  { cmd: `--nodb ${P} --eval "print(1)"`, code: 'unreadable', target: '(no server: --nodb)?' },
  { cmd: '--nodb --eval "db.c.drop()"', code: 'localOnly', target: '(no server: --nodb)?' },
  { cmd: '--nodb --eval "const c = connect(\'mongodb://prod-db/app\'); c.users.drop()"', code: 'destructive' },
  { cmd: '--nodb hop.js', code: 'unknown' },
  { cmd: `--nodb=false ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--nodb false ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--no-nodb ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  { cmd: `--nodb=yes ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` }, // only "true" is true
  { cmd: `--nodb true ${P} --eval "db.c.drop()"`, code: 'destructive', target: '(no server: --nodb)?' }, // P is a file
  { cmd: `--tls false ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${P}:27017` },
  // "TRUE": address
  { cmd: `--quiet TRUE ${P} --eval "db.c.drop()"`, code: 'destructive', target: `${L}/TRUE,${SCRIPT}` },
  { cmd: `--json=relaxed ${P} --eval "db.c.countDocuments()"`, code: 'readOnly', target: `${P}:27017` },
  { cmd: `-u admin -p s3cret ${P} --eval "db.c.find()"`, code: 'readOnly', target: `${P}:27017`, secrets: [3] },
  { cmd: `--username admin --password=s3cret ${P} --eval "db.c.find()"`, code: 'readOnly', secrets: [2] },
  { cmd: `--p s3cret ${P} --eval "db.c.find()"`, code: 'readOnly', secrets: [1] },
  { cmd: `--tlsCertificateKeyFilePassword kp --awsSecretAccessKey sk ${P} --eval "1"`, code: 'readOnly',
    secrets: [1, 3] },
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
  // rc: interactive only
  { cmd: `${P} --eval "db.c.find()"`, code: 'readOnly', home: fixture('guard-mongosh', 'home-rw') },
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
  { cmd: `${P} --eval "db.users.aggregate([{\\$match: {a: 1}}, {\\$group: {_id: '\\$b', n: {\\$sum: 1}}}]).toArray()"`,
    code: 'readOnly' },
  { cmd: `${P} --eval "db.users.aggregate({\\$match: {}}, {\\$count: 'n'})"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.getSiblingDB('other').things.find().forEach(printjson)"`, code: 'readOnly' },
  { cmd: `${P} --eval "db['users'].find()"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.getCollection('users').find({}, {name: 1})"`, code: 'readOnly' },
  { cmd: `${P} --eval "const n = db.a.countDocuments(); const m = db.b.countDocuments(); print(n + m)"`,
    code: 'readOnly' },
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
  // --- regular expression or division: where JavaScript's reading is certain the guard follows it, where it is not
  // (after `}`, `of`, a line break that may end the statement) it refuses unless the regex reading cannot end
  { cmd: `${P} --eval 'if (1) /"/; db.dropDatabase(); //"/'`, code: 'destructive' }, // regex after if (…)
  { cmd: `${P} --eval 'while (0) /"/; db.dropDatabase(); //"/'`, code: 'destructive' },
  { cmd: `${P} --eval 'for (;0;) /"/; db.dropDatabase(); //"/'`, code: 'destructive' },
  { cmd: `${P} --eval '{} /"/; db.dropDatabase(); //"/'`, code: 'unparseable' }, // block or object: refused
  { cmd: `${P} --eval 'x = function () {} /"/; db.dropDatabase(); //"/'`, code: 'unparseable' },
  { cmd: `${P} --eval 'let a = 1; a++ /2; db.dropDatabase(); a = 1/1'`, code: 'destructive' }, // postfix: division
  { cmd: `${P} --eval 'let a = 1; a-- /2; db.dropDatabase(); a = 1/1'`, code: 'destructive' },
  { cmd: `${P} --eval 'x = [a] /2; db.dropDatabase(); x/1'`, code: 'destructive' },
  { cmd: `${P} --eval 'let of = 2; of /2; db.dropDatabase(); of/1'`, code: 'unparseable' }, // `of`: name or keyword
  { cmd: `${P} --eval 'let yield = 2; yield /2; db.dropDatabase(); yield/1'`, code: 'unparseable' },
  { cmd: `${P} --eval 'let \\u006ff = 2; \\u006ff /2; db.dropDatabase(); x/1'`, code: 'unparseable' }, // escaped
  { cmd: `${P} --eval 'print(this.x?.delete /2); db.dropDatabase(); x/1'`, code: 'destructive' }, // a property
  { cmd: `${P} --eval 'print(x.typeof /2); db.dropDatabase(); x/1'`, code: 'destructive' },
  { cmd: `${P} --eval 'x = typeof /"/; db.dropDatabase(); //"/'`, code: 'destructive' }, // the operator
  { cmd: `${P} --eval 'let a\n/"/; db.dropDatabase(); //"/'`, code: 'unparseable' }, // ASI: `let a;` then a regex
  { cmd: `${P} --eval 'x = y\n/"/; db.dropDatabase(); //"/'`, code: 'unparseable' },
  { cmd: `${P} --eval 'for (;;) { if (x) break\n/"/; db.dropDatabase(); //"/\n}'`, code: 'destructive' },
  { cmd: `${P} --eval '<!-- \`\ndb.dropDatabase()\n<!-- \`'`, code: 'unparseable' }, // HTML-like comments
  { cmd: `${P} --eval 'x = 1\n--> \`\ndb.dropDatabase()\n--> \`'`, code: 'unparseable' },
  { cmd: `${P} --eval 'x = 1 /*\n*/ --> \`\ndb.dropDatabase()\n--> \`'`, code: 'unparseable' },
  { cmd: `${P} --eval 'x = a <!--b'`, code: 'unparseable' },
  { cmd: `${P} --eval 'let i = 3; while (i --> 0) print(i)'`, code: 'readOnly' }, // `-->` inside a line: operators
  { cmd: `${P} --eval 'print(db.users.totalSize() / 1024 / 1024)'`, code: 'readOnly' }, // ordinary divisions
  { cmd: `${P} --eval 'print((db.a.countDocuments() + 1) / 2)'`, code: 'readOnly' },
  { cmd: `${P} --eval 'const s = db.users.stats(); print(s.size / s.count, [1][0] / 2)'`, code: 'readOnly' },
  { cmd: `${P} --eval 'const r = db.a.countDocuments()\n  / db.b.countDocuments(); print(r)'`, code: 'readOnly' },
  { cmd: `${P} --eval 'let n = 1; n++ / 2'`, code: 'readOnly' },
  { cmd: `${P} --eval 'if (/^a/.test(db.getName())) print(1)'`, code: 'readOnly' },
  { cmd: `${P} --eval 'if (db.getName()) /x/.test("x") && print(1)'`, code: 'readOnly' },
  { cmd: `${P} --eval "print('\\101')"`, code: 'readOnly' }, // a legacy octal escape (sloppy JavaScript reads it)
  { cmd: `${P} --eval "db.users['\\144rop']()"`, code: 'destructive' }, // … and it spells drop
  // --- piped into the shell, which reads line by line: what the REPL may run, however lines are joined
  { cmd: P, stdin: 'x = 1\n/"/; db.dropDatabase(); //"/\n', code: 'unparseable' }, // a fresh line: a regex
  { cmd: P, stdin: 'if if `\ndb.dropDatabase()\n`\n', code: 'destructive' }, // bad line dropped, next one runs
  { cmd: P, stdin: "if if 'a\\\ndb.dropDatabase()\n'\n", code: 'destructive' },
  { cmd: P, stdin: 'if if /*\ndb.dropDatabase()\n*/\n', code: 'destructive' },
  { cmd: P, stdin: '.x `\ndb.dropDatabase()\n`\n', code: 'destructive' }, // an unknown REPL command is dropped
  { cmd: P, stdin: 'use `\ndb.dropDatabase()\n`\n', code: 'destructive' }, // `use …` is not JavaScript
  { cmd: P, stdin: 'print(`\n.break\ndb.dropDatabase()\n`)\n', code: 'destructive' }, // .break empties the input
  { cmd: P, stdin: 'print(`\n.load /tmp/x.js\n`)\n', code: 'unknown',
    target: `${P}:27017,(a server the script on stdin chooses)?` },
  { cmd: 'mongodb://dev-db/app', stdin: '.load hop.js\n', code: 'unknown',
    target: 'dev-db/app,(a server the script on stdin chooses)?' },
  { cmd: P, stdin: '.editor\ndb.c.find()\n', code: 'unknown' },
  { cmd: P, stdin: '`${1\nx\n/"/; db.dropDatabase(); //"/\n}`\n', code: 'unparseable' },
  { cmd: P, stdin: 'x.\ndelete /"/; db.dropDatabase(); //"/\n', code: 'unparseable' },
  { cmd: P, stdin: 'db.c.find()\u0003\n', code: 'unparseable' }, // Ctrl-C: mongosh forwards it out of order
  { cmd: P, stdin: readFixture('report-piped.js'), code: 'readOnly' }, // comments, multi-line calls, divisions
  { cmd: P, stdin: '/*\n * It does not drop anything.\n */\ndb.c.find()\n', code: 'readOnly' },
  { cmd: P, stdin: 'db.c.find()\n  .limit(1)\n', code: 'readOnly' },
  { cmd: P, stdin: 'db.c.find({\n  a: 1,\n}).toArray()\n.help\nexit\n', code: 'readOnly' },
  { cmd: P, stdin: 'print(`a\nb ${db.getName()}`)\n', code: 'readOnly' },
  { cmd: P, stdin: 'db.c.find() /* a\n b */\n', code: 'readOnly' },
  { cmd: P, stdin: 'db.c.find() /* it does not\n drop anything */\n', code: 'destructive' }, // line 2 read afresh too
  { cmd: `${P} report-piped.js`, code: 'readOnly' },
  // --- rs and sh under another name
  { cmd: `${P} --eval "(rs).add('evil:27017')"`, code: 'unknown' },
  { cmd: `${P} --eval "const r = rs; r.add('evil:27017')"`, code: 'unknown' },
  { cmd: `${P} --eval "(rs).freeze(600)"`, code: 'unknown' },
  { cmd: `${P} --eval "const { add } = rs; add('evil:27017')"`, code: 'unknown' },
  { cmd: `${P} --eval "[rs][0].add('evil:27017')"`, code: 'unknown' },
  { cmd: `${P} --eval "(sh).addShard('evil:27017')"`, code: 'unknown' },
  { cmd: `${P} --eval "const s = sh; s.stopBalancer()"`, code: 'unknown' },
  { cmd: `${P} --eval "rs?.add('evil:27017')"`, code: 'mutating' },
  { cmd: `${P} --eval "this.rs.add('evil:27017')"`, code: 'mutating' },
  { cmd: `${P} --eval "this['rs'].add('evil:27017')"`, code: 'unknown' },
  { cmd: `${P} --eval "rs['freeze'](600)"`, code: 'mutating' },
  { cmd: `${P} --eval "rs.status().members.length"`, code: 'readOnly' },
  { cmd: `${P} --eval "db.rs.find()"`, code: 'readOnly' }, // a collection called rs
  { cmd: `${P} --eval "db.getSiblingDB('x').sh.countDocuments()"`, code: 'readOnly' },
  // --- the global object (connect, Mongo) under another name: may reach another server
  { cmd: 'mongodb://dev-db/app --eval "const { connect: c } = this; c(\'mongodb://prod-db/app\').users.drop()"',
    code: 'destructive', target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --eval "Object.values(this)"', code: 'unknown', target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --eval "const g = this.valueOf(); print(g)"', code: 'unknown',
    target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --eval "this.globalThis.db.c.find()"', code: 'unknown', target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --eval "this.db.c.find()"', code: 'readOnly', target: 'dev-db/app' },
  // --- ~/.mongoshrc.js runs first in an interactive session, with commands piped in too
  { cmd: 'mongodb://dev-db/app', stdin: 'db.users.drop()\n', code: 'destructive',
    home: fixture('guard-mongosh', 'home-connect'),
    target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app', code: 'unknown', home: fixture('guard-mongosh', 'home-connect'),
    target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app --norc', stdin: 'db.users.drop()\n', code: 'destructive',
    home: fixture('guard-mongosh', 'home-connect'), target: 'dev-db/app' },
  { cmd: 'mongodb://dev-db/app --eval "db.users.drop()"', code: 'destructive',
    home: fixture('guard-mongosh', 'home-connect'),
    target: 'dev-db/app' }, // --eval without --shell: no rc
  { cmd: 'mongodb://dev-db/app --shell --eval "db.users.find()"', code: 'unknown',
    home: fixture('guard-mongosh', 'home-connect'), target: `dev-db/app,${SCRIPT}` },
  { cmd: 'mongodb://dev-db/app', stdin: 'db.c.find()\n', code: 'unreadable',
    home: fixture('guard-mongosh', 'home-rcdir'),
    target: `dev-db/app,${SCRIPT}` },
  // --- passwords never become names; spellings mongosh refuses are masked too
  { cmd: 'mongodb://admin:S3cret/x@prod-db/app --eval "db.c.find()"', code: 'readOnly', target: 'prod-db/app?',
    secrets: [0] },
  { cmd: 'mongodb://admin:S3?cret@prod-db/app --eval "db.c.find()"', code: 'readOnly', target: 'prod-db/app?',
    secrets: [0] },
  { cmd: 'mongodb://admin:S3#cret@prod-db/app --eval "db.c.find()"', code: 'readOnly', target: 'prod-db/app?',
    secrets: [0] },
  { cmd: 'mongodb://admin:S3cret@x@prod-db/app --eval "db.c.find()"', code: 'readOnly', target: 'prod-db/app?',
    secrets: [0] },
  { cmd: 'mongodb://prod-db/app?appName=x@dev-db --eval "db.c.find()"', code: 'readOnly', target: 'dev-db?',
    secrets: [0] }, // mongosh splits at the last @ too, and refuses it
  { cmd: `mongodb://${P}/app?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:S3cret --eval 1`,
    code: 'readOnly', target: `${P}/app`, secrets: [0] },
  { cmd: `mongodb://${P}/app?tlsCertificateKeyFilePassword=S3cret --eval 1`, code: 'readOnly', secrets: [0] },
  { cmd: `mongodb://${P}/app?retryWrites=false --eval 1`, code: 'readOnly', secrets: [] },
  { cmd: 'admin:S3cret@prod-db --eval "db.c.find()"', code: 'readOnly', target: `${L}/***@prod-db?`, secrets: [0] },
  { cmd: '--host admin:S3cret@prod-db --eval "db.c.find()"', code: 'readOnly', target: '***@prod-db?', secrets: [1] },
  { cmd: `${P} -pS3cret --eval "db.c.find()"`, code: 'unparseable', secrets: [1] },
  { cmd: `${P} --aws-secret-access-key S3cret --eval "db.c.find()"`, code: 'unparseable', secrets: [2] },
  { cmd: `${P} --aws-secret-access-key=S3cret --eval "db.c.find()"`, code: 'unparseable', secrets: [1] },
  { cmd: `${P} --eval "db.auth('admin', 'S3cret'); db.c.find()"`, code: 'readOnly', secrets: [2] },
  { cmd: `${P} --eval "db.createUser({user: 'a', pwd: 'S3cret', roles: []})"`, code: 'mutating', secrets: [2] },
  // --- EJSON converts values
  { cmd: `${P} --eval 'print(EJSON.stringify(db.users.findOne()))'`, code: 'readOnly' },
  { cmd: `${P} --eval 'printjson(EJSON.parse(EJSON.stringify({a: 1}), {relaxed: false}))'`, code: 'readOnly' },
  { cmd: `${P} --eval 'EJSON.deserialize(EJSON.serialize(db.c.findOne()))'`, code: 'readOnly' },
  { cmd: `${P} --eval 'const E = EJSON; E.stringify(1)'`, code: 'unknown' },
  { cmd: `${P} --eval 'EJSON.unknownThing(1)'`, code: 'unknown' },
];

function run(row: Row): { code: VerdictCode; targets: string; secrets: readonly number[] } {
  const a = mongoshModule.analyze('mongosh', shellWords(row.cmd), ctxFor(row.home, row.env));
  // As the engine does: targets that commands piped on stdin switch to, then the verdict.
  const stdinTargets = a.readsStdin && row.stdin !== undefined ? a.stdinTargets?.({ text: row.stdin }) ?? [] : [];
  const v = a.judge({ text: row.stdin });
  const targets = [...a.targets, ...stdinTargets].map((t) => `${t.name}${t.unresolved ? '?' : ''}`).join(',');
  return { code: v.code, targets, secrets: a.secretArgs };
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

  it('judges a 2 MB insertOne seed script on stdin in linear time (was 63 s)', () => {
    let seed = '';
    for (let k = 0; seed.length < 2 * 1024 * 1024; k++) {
      seed += `db.users.insertOne({_id: ${k}, name: "user ${k}", tags: ['a', 'b'], score: ${k} / 2});\n`;
    }
    for (const repl of [true, false]) {
      const t = Date.now();
      const j = judgeMongoScript(seed, 'stdin', repl);
      assert.strictEqual(j.verdict.code, 'mutating');
      assert.strictEqual(j.verdict.line, 1);
      assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
    }
    const a = mongoshModule.analyze('mongosh', ['prod-db'], ctxFor());
    const t = Date.now();
    assert.strictEqual(a.judge({ text: seed }).code, 'mutating');
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  });

  it('refuses piped input that would take too long to read every way (tooLarge), within the budget', () => {
    let s = '';
    for (let k = 0; s.length < 2 * 1024 * 1024; k++) s += `x = f(1) /* a\n b */ + \`t\n${k}\`;\n`;
    const t = Date.now();
    assert.strictEqual(judgeMongoScript(s, 'stdin', true).verdict.code, 'tooLarge');
    assert.strictEqual(judgeMongoScript('('.repeat(3_000_000), 'stdin').verdict.code, 'tooLarge');
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  });

  it('stays within the time budget on large scripts', () => {
    const big = 'db.users.find({a: 1}).toArray();\n'.repeat(100_000) + 'db.users.drop();\n';
    const t = Date.now();
    const j = judgeMongoScript(big, 'stdin');
    assert.strictEqual(j.verdict.code, 'destructive');
    assert.strictEqual(j.verdict.line, 100_001);
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
    assert.strictEqual(judgeMongoScript('x'.repeat(5 * 1024 * 1024), 'stdin').verdict.code, 'tooLarge');
  });

  it('tokenizes JavaScript conservatively', () => {
    const names = (s: string): string[] => {
      const r = jsTokens(s);
      return r.ok ? r.tokens.map((t) => `${t.t}:${t.v}`) : [`error:${r.error}`];
    };
    assert.deepStrictEqual(names('a.\\u0062c'), ['name:a', 'punct:.', 'name:bc']);
    assert.deepStrictEqual(names("'\\x41\\u{42}'"), ['str:AB']);
    assert.deepStrictEqual(names('x = a / b / c'),
      ['name:x', 'punct:=', 'name:a', 'punct:/', 'name:b', 'punct:/', 'name:c']);
    assert.deepStrictEqual(names('f(/a\\/b[/]/g)'), ['name:f', 'punct:(', 'regex:/a\\/b[/]/g', 'punct:)']);
    assert.deepStrictEqual(names('`a${b}c`'), ['tmpl:a', 'name:b', 'tmpl:c']);
    assert.deepStrictEqual(names('`a${ {x: 1}.x }c`'),
      ['tmpl:a', 'punct:{', 'name:x', 'punct::', 'num:1', 'punct:}', 'punct:.', 'name:x', 'tmpl:c']);
    assert.deepStrictEqual(names('a?.b ?? c'), ['name:a', 'punct:?.', 'name:b', 'punct:??', 'name:c']);
    assert.deepStrictEqual(names('x ? .5 : 1'), ['name:x', 'punct:?', 'num:.5', 'punct::', 'num:1']);
    assert.match(names('"abc')[0], /^error:/);
    assert.match(names('`abc')[0], /^error:/);
    assert.match(names('`${a`')[0], /^error:/);
    assert.deepStrictEqual(names("'\\1\\101\\0'"), ['str:\x01A\0']); // legacy octal escapes, as sloppy JS reads them
    assert.match(names("'\\x4'")[0], /^error:/);
    assert.deepStrictEqual(names('a++ / 2'), ['name:a', 'punct:++', 'punct:/', 'num:2']);
    assert.deepStrictEqual(names('if (a) /x/g'), ['name:if', 'punct:(', 'name:a', 'punct:)', 'regex:/x/g']);
    assert.deepStrictEqual(names('f(a) /x/g'),
      ['name:f', 'punct:(', 'name:a', 'punct:)', 'punct:/', 'name:x', 'punct:/', 'name:g']);
    assert.deepStrictEqual(names('x.delete /x/g'), ['name:x', 'punct:.', 'name:delete', 'punct:/', 'name:x', 'punct:/',
      'name:g']);
    assert.deepStrictEqual(names('`\\x`'), ['tmpl:']); // an invalid escape (allowed in a tagged template)
    assert.match(names('} /x/')[0], /^error:.*regular expression or as a division/);
    assert.deepStrictEqual(names('} / 2'), ['punct:}', 'punct:/', 'num:2']); // the regex reading cannot end
    assert.match(names('of /x/')[0], /^error:/);
    assert.match(names('a\n/x/')[0], /^error:/);
    assert.match(names('a <!-- b')[0], /^error:.*HTML-like/);
    assert.match(names('a\n--> b')[0], /^error:.*HTML-like/);
    assert.deepStrictEqual(names('a --> b'), ['name:a', 'punct:--', 'punct:>', 'name:b']);
  });

  it('reads piped input every way the REPL may join its lines', () => {
    const readings = (s: string): string[] => {
      const r = jsReplReadings(s);
      return r.ok ? r.readings.map((toks) => toks.map((t) => t.v).join(' ')) : [`error:${r.error}`];
    };
    // A template that starts after code on its line: the next lines are also read afresh.
    assert.deepStrictEqual(readings('if if `\nx()\n`\n'), ['if if \nx()\n', 'x ( )']);
    // One that starts its line is always joined: one reading.
    assert.deepStrictEqual(readings('/*\n x()\n*/ y()\n'), ['y ( )']);
    // A line with a syntax error is dropped: the next one is read afresh (a `;` marks the restart).
    assert.deepStrictEqual(readings("a = 'x\nb()\n"), ['a = ; b ( )']);
    // .break empties the input the REPL holds: the next line is read afresh too.
    const broken = readings('print(`\n.break\nx()\n`)\n');
    assert.ok(!broken[0].includes('x ( )') && broken.some((r) => r.startsWith('x ( )')), broken.join(' | '));
    assert.match(readings('a\n/x/g\n')[0], /^error:.*regular expression or as a division/);
    assert.deepStrictEqual(readings('a\n/ 2\n'), ['a / 2']); // the regex reading cannot end
    assert.match(readings('x\u0004')[0], /^error:.*Ctrl-D/);
  });
});

describe('guard: mongosh scripts against V8 (what JavaScript runs, the guard reads)', () => {
  // Contexts ending in every kind of token, then a `/` or comment that may hide a call: whenever V8 (the engine
  // mongosh runs on) runs the call, the guard must ask. The committed tokenizer before this check read 1969 of
  // 20000 such scripts as read-only.
  const CTX = ['a', '1', '"s"', 'x.y', 'f()', '(a)', '[1]', 'a++', 'a--', '{}', 'x = {}', '`t`', '`t${a}`', '/re/',
    'x.delete', 'x?.delete', 'x.if', 'of', 'yield', 'let', 'let q', 'var q, r', 'if (1)', 'if (a)', 'while (0)',
    'for (;0;)', 'do', 'if (0) {} else', 'typeof', 'x in', 'new', 'void', 'this', 'x.return', '\\u006ff', 'a\\u0062',
    'function g() {}', 'x = function () {}', '(() => {})', '() =>', 'a ? b :', 'a = b', '!', 'L: ', 'a.b++', 'f(a)++',
    '{ ++', 'x = [a]', '{ a: 1 }', 'x\n++', 'y = x', 'async', 'get', 'static', 'null', 'true', 'this.x', 'x.of', 'in',
    'do ;', '0 ?', 'x => x'];
  const SEP = ['', ' ', '\n', ' \n ', '/* c */', '/*\n*/', '// c\n', ';', ';\n'];
  const HIDE = [(m: string) => `/"/; ${m}; //"/`, (m: string) => `/'/; ${m}; //'/`, (m: string) => `/\`/; ${m}; //\`/`,
    (m: string) => `/ 2; ${m}; x /g`, (m: string) => `/ 2/; ${m}; //`, (m: string) => `/[/]/; ${m}; //`,
    (m: string) => `<!-- \`\n${m}\n<!-- \``, (m: string) => `--> \`\n${m}\n--> \``, (m: string) => `/"/\n${m}\n//"/`,
    (m: string) => `/"/,${m},//"/`, (m: string) => `/ ${m} /g`, (m: string) => `/ 1 /g, ${m}`,
    (m: string) => `/"/; ${m}`];
  const TAIL = ['', ';', '\n', ' a', '\n/ 2'];

  it('asks for every generated script whose hidden db.dropDatabase() V8 runs', () => {
    const next = rng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const holes: string[] = [];
    let ran = 0;
    for (let n = 0; n < 4000; n++) {
      const text = (next() < 0.3 ? pick(CTX) + pick(SEP) : '') + pick(CTX) + pick(SEP) + pick(HIDE)('db.dropDatabase()')
        + pick(TAIL);
      let script: vm.Script;
      try {
        script = new vm.Script(text);
      } catch {
        continue; // V8 rejects it: nothing runs
      }
      let hit = false;
      const sandbox = vm.createContext({ db: { dropDatabase: () => (hit = true) }, a: 1, b: 2, x: { y: 1 },
        f: () => 1, of: 2, q: 1, g: 1 });
      try {
        script.runInContext(sandbox, { timeout: 100 });
      } catch {
        // a run-time error after the call still counts
      }
      if (!hit) continue;
      ran++;
      const v = judgeMongoScript(text, '--eval').verdict;
      if (!asks(v)) holes.push(`${JSON.stringify(text)} → ${v.code}`);
    }
    assert.deepStrictEqual(holes.slice(0, 10), []);
    assert.ok(ran > 800, `${ran} scripts ran the call`);
  });
});

describe('guard: mongosh never shows a secret', () => {
  const LINES = [
    'mongodb://admin:S3cret/x@prod-db/app --eval "db.c.find()"',
    'mongodb://admin:S3?cret@prod-db/app --eval "db.c.drop()"',
    'mongodb://admin:S3#cret@prod-db/app',
    'mongodb+srv://admin:S3cret/x@cluster0.prod.net/app --eval "db.c.drop()"',
    'admin:S3cret@prod-db.example.com --eval "db.c.drop()"',
    'admin:S3cret@prod-db --eval "db.c.drop()"',
    '--host admin:S3cret@prod-db --eval "db.c.drop()"',
    'prod-db -pS3cret --eval "db.c.drop()"',
    'prod-db --aws-secret-access-key S3cret --eval "db.c.drop()"',
    'prod-db --aws-secret-access-key=S3cret --eval "db.c.drop()"',
    'prod-db --aws-secret-access-key S3cret',
    'prod-db --password-x S3cret report.js',
    'mongodb://prod-db/app?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:S3cret --eval 1',
    'prod-db --eval "db.createUser({user: \'a\', pwd: \'S3cret\', roles: []})"',
    'prod-db --eval "db.createUser({user:\'a\',pwd:\'S3cret\',roles:[]}); db.c.drop()"',
    'prod-db --eval "db.changeUserPassword(\'a\',\'S3cret\')"',
    'prod-db --eval "db.updateUser(\'a\', {pwd: \'S3cret\'})"',
    'prod-db --eval "db.auth(\'admin\', \'S3cret\'); db.c.drop()"',
    'prod-db --eval "db.runCommand({createUser: \'a\', pwd: \'S3cret\', roles: []})"',
  ];
  for (const line of LINES) {
    it(`mongosh ${line}`, () => {
      const argv = shellWords(line);
      const a = mongoshModule.analyze('mongosh', argv, ctxFor());
      const v = a.judge({});
      const shown = JSON.stringify({ targets: a.targets, problems: a.problems, verb: a.verb, verdict: v,
        argv: argv.map((x, i) => (a.secretArgs.includes(i) ? '***' : x)) });
      assert.ok(!shown.includes('S3cret'), shown);
    });
  }

  it('masks the string literals of a statement that passes a password', () => {
    const j = judgeMongoScript("db.createUser({user: 'a', pwd: 'S3cret', roles: ['read']})", '--eval');
    assert.strictEqual(j.verdict.statement, "db.createUser({user: '***', pwd: '***', roles: ['***']})");
    const k = judgeMongoScript('db.users.drop() // no literal to mask', '--eval');
    assert.strictEqual(k.verdict.statement, 'db.users.drop() // no literal to mask');
  });
});
