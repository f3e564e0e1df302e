import * as assert from 'assert';
import { nodeFiles } from '../../src/core/files';
import { judgeLua, judgeRedisCommand, REDIS_POLICY, redisModule, splitArgs } from '../../src/core/guard/tools/redis';
import { REDIS_COMMANDS } from '../../src/core/guard/tools/redisCommands';
import { type ToolContext, type VerdictCode, asks } from '../../src/core/guard/types';
import { fixture, shellWords } from './helpers';


const ctx: ToolContext = { env: {}, home: '/nonexistent-home', cwd: fixture('guard-redis'), files: nodeFiles };

interface Row {
  /** The command line after `redis-cli`. */
  readonly cmd: string;
  /** Text on stdin (`undefined`: a terminal). */
  readonly stdin?: string;
  readonly code: VerdictCode;
  /** Target names, comma separated. */
  readonly target?: string;
  /** Indices of secret arguments. */
  readonly secrets?: readonly number[];
}

const LOCAL = '127.0.0.1:6379';

// Golden rows: [command line, expected verdict, target]. Attacker spellings are marked.
const ROWS: Row[] = [
  // --- plain reads pass
  { cmd: '-h prod-redis GET user:1', code: 'readOnly', target: 'prod-redis:6379' },
  { cmd: '-h prod-redis get user:1', code: 'readOnly', target: 'prod-redis:6379' },
  { cmd: '-h prod-redis MGET a b c', code: 'readOnly' },
  { cmd: '-h prod-redis EXISTS a', code: 'readOnly' },
  { cmd: '-h prod-redis TTL a', code: 'readOnly' },
  { cmd: '-h prod-redis TYPE a', code: 'readOnly' },
  { cmd: '-h prod-redis KEYS "user:*"', code: 'readOnly' },
  { cmd: '-h prod-redis SCAN 0 MATCH "user:*" COUNT 100', code: 'readOnly' },
  { cmd: '-h prod-redis HGETALL session:1', code: 'readOnly' },
  { cmd: '-h prod-redis LRANGE queue 0 -1', code: 'readOnly' },
  { cmd: '-h prod-redis ZRANGE board 0 10 WITHSCORES', code: 'readOnly' },
  { cmd: '-h prod-redis XRANGE s - +', code: 'readOnly' },
  { cmd: '-h prod-redis INFO', code: 'readOnly' },
  { cmd: '-h prod-redis INFO memory', code: 'readOnly' },
  { cmd: '-h prod-redis DBSIZE', code: 'readOnly' },
  { cmd: '-h prod-redis PING', code: 'readOnly' },
  { cmd: '-h prod-redis ECHO hi', code: 'readOnly' },
  { cmd: '-h prod-redis TIME', code: 'readOnly' },
  { cmd: '-h prod-redis ROLE', code: 'readOnly' },
  { cmd: '-h prod-redis LASTSAVE', code: 'readOnly' },
  { cmd: '-h prod-redis MONITOR', code: 'readOnly' },
  { cmd: '-h prod-redis SUBSCRIBE news', code: 'readOnly' },
  { cmd: '-h prod-redis PSUBSCRIBE "news.*"', code: 'readOnly' },
  { cmd: '-h prod-redis PUBSUB CHANNELS', code: 'readOnly' },
  { cmd: '-h prod-redis CONFIG GET maxmemory', code: 'readOnly' },
  { cmd: '-h prod-redis config get "*"', code: 'readOnly' },
  { cmd: '-h prod-redis CLIENT LIST', code: 'readOnly' },
  { cmd: '-h prod-redis CLIENT INFO', code: 'readOnly' },
  { cmd: '-h prod-redis SLOWLOG GET 10', code: 'readOnly' },
  { cmd: '-h prod-redis SLOWLOG LEN', code: 'readOnly' },
  { cmd: '-h prod-redis LATENCY LATEST', code: 'readOnly' },
  { cmd: '-h prod-redis LATENCY DOCTOR', code: 'readOnly' },
  { cmd: '-h prod-redis MEMORY USAGE key', code: 'readOnly' },
  { cmd: '-h prod-redis MEMORY STATS', code: 'readOnly' },
  { cmd: '-h prod-redis OBJECT ENCODING key', code: 'readOnly' },
  { cmd: '-h prod-redis OBJECT FREQ key', code: 'readOnly' },
  { cmd: '-h prod-redis COMMAND DOCS get', code: 'readOnly' },
  { cmd: '-h prod-redis COMMAND COUNT', code: 'readOnly' },
  { cmd: '-h prod-redis ACL WHOAMI', code: 'readOnly' },
  { cmd: '-h prod-redis ACL LIST', code: 'readOnly' },
  { cmd: '-h prod-redis ACL LOG', code: 'readOnly' },
  { cmd: '-h prod-redis CLUSTER INFO', code: 'readOnly' },
  { cmd: '-h prod-redis CLUSTER NODES', code: 'readOnly' },
  { cmd: '-h prod-redis FUNCTION LIST', code: 'readOnly' },
  { cmd: '-h prod-redis SCRIPT EXISTS abc', code: 'readOnly' },
  { cmd: '-h prod-redis MODULE LIST', code: 'readOnly' },
  { cmd: '-h prod-redis SORT list LIMIT 0 10', code: 'readOnly' },
  { cmd: '-h prod-redis SORT_RO list', code: 'readOnly' },
  { cmd: '-h prod-redis GEORADIUS g 15 37 200 km WITHDIST', code: 'readOnly' },
  { cmd: '-h prod-redis BITFIELD b GET u8 0 GET i4 8', code: 'readOnly' },
  { cmd: '-h prod-redis BITFIELD_RO b GET u8 0', code: 'readOnly' },
  { cmd: '-h prod-redis SELECT 2', code: 'readOnly' },
  { cmd: '-h prod-redis MULTI', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL_RO "return redis.call(\'del\', KEYS[1])" 1 k', code: 'readOnly' },
  // The _RO forms only stop commands flagged write: an unseen script may still run SLOWLOG RESET, CLUSTER DELSLOTS.
  { cmd: '-h prod-redis EVALSHA_RO abc 0', code: 'unknown' },
  { cmd: '-h prod-redis FCALL_RO myfunc 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL_RO "return redis.call(\'GET\', KEYS[1])" 1 k', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL_RO "return redis.call(\'SLOWLOG\', \'RESET\')" 0', code: 'mutating' },
  { cmd: '-h prod-redis EVAL_RO "return redis.call(\'CLUSTER\', \'DELSLOTS\', \'1\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL_RO "return redis.call(ARGV[1])" 0 SLOWLOG', code: 'unknown' },
  { cmd: '-h prod-redis SCRIPT LOAD "return 1"', code: 'harmlessWrite' },
  { cmd: '-h prod-redis MEMORY PURGE', code: 'harmlessWrite' },
  { cmd: '-h prod-redis DEBUG OBJECT user:1', code: 'readOnly' },
  { cmd: '-h prod-redis debug object user:1', code: 'readOnly' },
  { cmd: '-h prod-redis DEBUG SDSLEN k', code: 'readOnly' },
  { cmd: '-h prod-redis DEBUG DIGEST', code: 'readOnly' },
  { cmd: '-h prod-redis DEBUG DIGEST-VALUE a b', code: 'readOnly' },
  { cmd: '-h prod-redis DEBUG HTSTATS 0', code: 'readOnly' },
  { cmd: '-h prod-redis DEBUG HELP', code: 'readOnly' },
  { cmd: '-h prod-redis DEBUG MALLCTL opt.narenas', code: 'readOnly' },
  { cmd: '-h prod-redis DEBUG LOG deploy-started', code: 'harmlessWrite' },
  { cmd: '-h prod-redis help', code: 'noEffect' },
  { cmd: '-h prod-redis HELP SET', code: 'noEffect' },
  // --- writes, admin and dangerous commands ask
  { cmd: '-h prod-redis FLUSHALL', code: 'destructive', target: 'prod-redis:6379' },
  { cmd: '-h prod-redis flushall ASYNC', code: 'destructive' },
  { cmd: '-h prod-redis FlUsHdB', code: 'destructive' }, // attacker: mixed case
  { cmd: '-h prod-redis DEL user:1', code: 'destructive' },
  { cmd: '-h prod-redis UNLINK a b', code: 'destructive' },
  { cmd: '-h prod-redis GETDEL a', code: 'destructive' },
  { cmd: '-h prod-redis SWAPDB 0 1', code: 'destructive' },
  { cmd: '-h prod-redis MOVE a 1', code: 'destructive' },
  { cmd: '-h prod-redis RENAME a b', code: 'destructive' },
  { cmd: '-h prod-redis EXPIRE a 0', code: 'destructive' },
  { cmd: '-h prod-redis PEXPIREAT a 1', code: 'destructive' },
  { cmd: '-h prod-redis HDEL h f', code: 'destructive' },
  { cmd: '-h prod-redis LTRIM l 0 0', code: 'destructive' },
  { cmd: '-h prod-redis XTRIM s MAXLEN 0', code: 'destructive' },
  { cmd: '-h prod-redis ZREMRANGEBYSCORE z -inf +inf', code: 'destructive' },
  { cmd: '-h prod-redis SHUTDOWN NOSAVE', code: 'destructive' },
  { cmd: '-h prod-redis CONFIG SET maxmemory 1', code: 'destructive' },
  { cmd: '-h prod-redis CONFIG REWRITE', code: 'destructive' },
  { cmd: '-h prod-redis SCRIPT FLUSH', code: 'destructive' },
  { cmd: '-h prod-redis FUNCTION DELETE lib', code: 'destructive' },
  { cmd: '-h prod-redis FUNCTION FLUSH', code: 'destructive' },
  { cmd: '-h prod-redis CLIENT KILL ID 5', code: 'destructive' },
  { cmd: '-h prod-redis REPLICAOF evil 6379', code: 'destructive' },
  { cmd: '-h prod-redis SLAVEOF NO ONE', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG SLEEP 10', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG SEGFAULT', code: 'destructive' },
  { cmd: '-h prod-redis debug reload', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG RELOAD NOSAVE', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG RESTART', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG CRASH-AND-RECOVER 0', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG LOADAOF', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG CHANGE-REPL-ID', code: 'destructive' },
  { cmd: '-h prod-redis DeBuG PaNiC', code: 'destructive' },
  { cmd: '-h prod-redis DEBUG SET-ACTIVE-EXPIRE 0', code: 'mutating' },
  { cmd: '-h prod-redis DEBUG POPULATE 1000', code: 'mutating' },
  { cmd: '-h prod-redis DEBUG PAUSE-CRON 1', code: 'mutating' },
  { cmd: '-h prod-redis DEBUG MALLCTL opt.x 1', code: 'mutating' },
  { cmd: '-h prod-redis DEBUG JMAP', code: 'unknown' }, // Redis 2's; 7.0 refuses it, another version may not
  { cmd: '-h prod-redis DEBUG', code: 'unknown' },
  { cmd: '-h prod-redis DEBUG constructor', code: 'unknown' }, // attacker: an Object.prototype member
  { cmd: '-h prod-redis constructor', code: 'unknown' },
  { cmd: '-h prod-redis __proto__', code: 'unknown' },
  { cmd: '-h prod-redis CLUSTER RESET HARD', code: 'destructive' },
  { cmd: '-h prod-redis CLUSTER FORGET abc', code: 'destructive' },
  { cmd: '-h prod-redis FAILOVER', code: 'destructive' },
  { cmd: '-h prod-redis ACL DELUSER bob', code: 'destructive' },
  { cmd: '-h prod-redis MIGRATE h 6379 k 0 1000', code: 'destructive' },
  { cmd: '-h prod-redis RESTORE k 0 x REPLACE', code: 'destructive' },
  { cmd: '-h prod-redis SET a 1', code: 'mutating' },
  { cmd: '-h prod-redis SET a 1 GET', code: 'mutating' },
  { cmd: '-h prod-redis INCR counter', code: 'mutating' },
  { cmd: '-h prod-redis HSET h f v', code: 'mutating' },
  { cmd: '-h prod-redis LPUSH q x', code: 'mutating' },
  { cmd: '-h prod-redis XADD s "*" f v', code: 'mutating' },
  { cmd: '-h prod-redis COPY a b REPLACE', code: 'mutating' },
  { cmd: '-h prod-redis BLPOP q 0', code: 'mutating' },
  { cmd: '-h prod-redis XREADGROUP GROUP g c STREAMS s ">"', code: 'mutating' },
  { cmd: '-h prod-redis SORT list STORE dst', code: 'mutating' },
  { cmd: '-h prod-redis sort list limit 0 1 store dst', code: 'mutating' },
  { cmd: '-h prod-redis GEORADIUS g 15 37 200 km STORE dst', code: 'mutating' },
  { cmd: '-h prod-redis BITFIELD b SET u8 0 1', code: 'mutating' },
  { cmd: '-h prod-redis BITFIELD b GET u8 0 INCRBY u8 0 1', code: 'mutating' },
  { cmd: '-h prod-redis PUBLISH orders go', code: 'mutating' },
  { cmd: '-h prod-redis SAVE', code: 'mutating' },
  { cmd: '-h prod-redis BGREWRITEAOF', code: 'mutating' },
  { cmd: '-h prod-redis CLIENT PAUSE 10000', code: 'mutating' },
  { cmd: '-h prod-redis CONFIG RESETSTAT', code: 'mutating' },
  { cmd: '-h prod-redis ACL SETUSER bob on ">secret"', code: 'mutating', secrets: [6] },
  { cmd: '-h prod-redis ACL LOG RESET', code: 'mutating' },
  { cmd: '-h prod-redis SLOWLOG RESET', code: 'mutating' },
  { cmd: '-h prod-redis LATENCY RESET', code: 'mutating' },
  { cmd: '-h prod-redis FUNCTION LOAD "#!lua name=lib\nredis.register_function(\'f\', function() return 1 end)"',
    code: 'mutating' },
  { cmd: '-h prod-redis SCRIPT KILL', code: 'mutating' },
  { cmd: '-h prod-redis MODULE LOAD /tmp/evil.so', code: 'mutating' },
  { cmd: '-h prod-redis CLUSTER ADDSLOTS 1', code: 'mutating' },
  { cmd: '-h prod-redis PFDEBUG GETREG h', code: 'mutating' },
  // --- unknown commands, containers without a known subcommand
  { cmd: '-h prod-redis JSON.SET doc $ "{}"', code: 'unknown' },
  { cmd: '-h prod-redis FT.DROPINDEX idx', code: 'unknown' },
  { cmd: '-h prod-redis NOTACOMMAND', code: 'unknown' },
  { cmd: '-h prod-redis CONFIG', code: 'unknown' },
  { cmd: '-h prod-redis CONFIG BOGUS', code: 'unknown' },
  { cmd: '-h prod-redis CLIENT', code: 'unknown' },
  { cmd: '-h prod-redis ""', code: 'unknown' },
  // --- scripts
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\', KEYS[1])" 1 k', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'del\', KEYS[1])" 1 k', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "redis.call(\'set\', KEYS[1], 1)" 1 k', code: 'mutating' },
  { cmd: '-h prod-redis EVAL "return 1" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.pcall(\'TTL\', KEYS[1])" 1 k', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.call\'dbsize\'" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.call\'flushall\'" 0', code: 'destructive' }, // attacker: string-call syntax
  { cmd: '-h prod-redis EVAL "return redis.call([[flushdb]])" 0', code: 'destructive' }, // attacker: long string
  { cmd: '-h prod-redis EVAL "return redis.call(ARGV[1])" 0 flushall', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "local c = redis.call; return c(\'del\', \'k\')" 0', code: 'unknown' }, // attacker
  { cmd: '-h prod-redis EVAL "return redis[\'call\'](\'del\', \'k\')" 0', code: 'unknown' }, // attacker
  { cmd: '-h prod-redis EVAL "return pcall(redis.call, \'del\', \'k\')" 0', code: 'unknown' }, // attacker
  // attacker: escapes
  { cmd: '-h prod-redis EVAL "return redis.call(\'\\\\100\\\\101\\\\108\', \'k\')" 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return loadstring(\'return 1\')()" 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return _G[\'redis\'].call(\'del\',\'k\')" 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis:call(\'del\',\'k\')" 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'CONFIG\', \'GET\', \'maxmemory\')" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'CONFIG\', ARGV[1], \'x\')" 0 SET', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'sort\', KEYS[1])" 1 l', code: 'mutating' },
  { cmd: '-h prod-redis EVAL "-- redis.call(\'del\',\'k\')\nreturn redis.call(\'get\',\'k\')" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "--[[ ]] redis.call(\'del\',\'k\')" 0', code: 'destructive' }, // comment closed early
  { cmd: '-h prod-redis EVAL "return \'unterminated" 0', code: 'unparseable' },
  // --- a command name the literal does not end: concatenation, operators (attacker)
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\'..\'DEL\', KEYS[1])" 1 keep', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\'..ARGV[1], KEYS[1])" 1 keep DEL', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\' .. \'\', KEYS[1])" 1 keep', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\' or \'DEL\', KEYS[1])" 1 keep', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\' == x and \'GET\' or \'DEL\', \'k\')" 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call([[GET]]..[[DEL]], \'k\')" 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'CONFIG\', \'GET\'..ARGV[1], \'x\')" 0 SET', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'CONFIG\', \'SET\', \'maxmemory\', \'1\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\' , KEYS[1])" 1 k', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\')" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\', \'user:\'..ARGV[1])" 0 1', code: 'readOnly' }, // key computed
  { cmd: '-h prod-redis EVAL "return redis.call(\'GET\', \'a\\\\nb\')" 0', code: 'readOnly' }, // escapes in a key
  // (redis.call'GET')..'x': the call is GET, its reply is concatenated
  { cmd: '-h prod-redis EVAL "return redis.call\'GET\'..\'x\'" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "return redis.call{\'DEL\', \'k\'}" 0', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "return redis.call((\'DEL\'), \'k\')" 0', code: 'unknown' },
  // --- comments and long brackets end where Lua 5.1 ends them (attacker)
  { cmd: '-h prod-redis EVAL "redis.call(\'GET\', KEYS[1]) -- read it\rredis.call(\'FLUSHALL\')\nreturn 1" 1 k',
    code: 'destructive' },
  { cmd: '-h prod-redis EVAL "-- read it\r\nredis.call(\'DEL\', \'k\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "-- only a comment\rreturn 1" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "--[= not long\nredis.call(\'DEL\', \'k\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "--[==[ ]] redis.call(\'DEL\', \'k\') ]=] ]==] return 1" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "--[[ x [[ y ]] redis.call(\'SET\', \'k\', 1) return 1" 0', code: 'mutating' },
  { cmd: '-h prod-redis EVAL "return redis.call([[\rDEL]], \'k\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "return redis.call([==[\r\nFLUSHDB]==])" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "return \'a\rb\'" 0', code: 'unparseable' }, // Lua refuses a raw \r in a string
  // no-writes stands in for commands flagged write only: other calls are judged, computed ones ask
  { cmd: '-h prod-redis EVAL "#!lua flags=no-writes\nreturn redis.call(ARGV[1])" 0 del', code: 'unknown' },
  { cmd: '-h prod-redis EVAL "#!lua flags=no-writes\nreturn redis.call(\'DEL\', KEYS[1])" 1 k', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "#!lua flags=no-writes\nreturn redis.call(\'FLUSHALL\')" 0', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "#!lua flags=no-writes\nreturn redis.call(\'SLOWLOG\', \'RESET\')" 0', code: 'mutating' },
  { cmd: '-h prod-redis EVAL "#!lua flags=allow-oom,no-writes\nreturn redis.call(\'config\', \'set\', \'x\')" 0',
    code: 'destructive' },
  { cmd: '-h prod-redis EVAL "#!lua flags=no-writes\nreturn redis.pcall(\'GET\', KEYS[1])" 1 k', code: 'readOnly' },
  { cmd: '-h prod-redis EVAL "#!lua flags=no-writes\r\nreturn redis.call(\'DEL\', \'k\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "#!lua name=no-writes\nreturn redis.call(\'DEL\', \'k\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "#!lua\nreturn redis.call(\'del\', \'k\')" 0', code: 'destructive' },
  { cmd: '-h prod-redis EVAL "#!lua flags=allow-oom\nreturn redis.call(ARGV[1])" 0 del', code: 'unknown' },
  { cmd: '-h prod-redis EVAL', code: 'unknown' },
  { cmd: '-h prod-redis EVALSHA abc123 0', code: 'unknown' },
  { cmd: '-h prod-redis FCALL myfunc 0', code: 'unknown' },
  { cmd: '-h prod-redis eVaLsHa abc 0', code: 'unknown' },
  { cmd: '-h prod-redis --eval read.lua k1 k2', code: 'readOnly' },
  { cmd: '-h prod-redis --eval cleanup.lua , "tmp:*"', code: 'destructive' },
  { cmd: '-h prod-redis --eval dynamic.lua k , flushall', code: 'unknown' },
  { cmd: '-h prod-redis --eval no-writes.lua k , del', code: 'unknown' },
  { cmd: '-h prod-redis --eval no-writes-admin.lua k', code: 'mutating' },
  { cmd: '-h prod-redis --eval no-writes-read.lua k', code: 'readOnly' },
  { cmd: '-h prod-redis --eval commented.lua k', code: 'readOnly' },
  { cmd: '-h prod-redis --eval missing.lua k', code: 'unreadable' },
  { cmd: '-h prod-redis --eval read.lua --ldb k', code: 'readOnly' },
  // --- redis-cli stops at the command: options after it are the command's arguments
  { cmd: 'DEL k -h prod-redis', code: 'destructive', target: LOCAL },
  { cmd: 'FLUSHALL -h prod-redis -p 6380', code: 'destructive', target: LOCAL },
  { cmd: '-h prod-redis -p 6380 -n 2 FLUSHDB', code: 'destructive', target: 'prod-redis:6380/2' },
  { cmd: '-p 6380 -h prod-redis GET a', code: 'readOnly', target: 'prod-redis:6380' },
  { cmd: '-h -x FLUSHALL', code: 'destructive', target: '-x:6379' }, // -h takes any next argument
  { cmd: '-h dev-redis -h prod-redis DEL k', code: 'destructive', target: 'prod-redis:6379' },
  { cmd: 'GET k', code: 'readOnly', target: LOCAL },
  { cmd: 'FLUSHALL', code: 'destructive', target: LOCAL },
  // --- -u: a URL, later flags override earlier ones
  { cmd: '-u redis://prod-redis:6380/3 DEL k', code: 'destructive', target: 'prod-redis:6380/3' },
  { cmd: '-u rediss://user:pw@prod-redis:6380 GET k', code: 'readOnly', target: 'prod-redis:6380', secrets: [1] },
  { cmd: '-u redis://:pa:ss@prod-redis DEL k', code: 'destructive', target: 'prod-redis:6379', secrets: [1] },
  { cmd: '-u redis://prod-redis -h dev-redis DEL k', code: 'destructive', target: 'dev-redis:6379' },
  { cmd: '-h dev-redis -u redis://prod-redis DEL k', code: 'destructive', target: 'prod-redis:6379' },
  { cmd: '-u redis://prod-redis:7000 -p 7001 DEL k', code: 'destructive', target: 'prod-redis:7001' },
  { cmd: '-p 7001 -u redis://prod-redis DEL k', code: 'destructive', target: 'prod-redis:7001' },
  { cmd: '-u redis://prod-redis/3 -n 0 DEL k', code: 'destructive', target: 'prod-redis:6379' },
  { cmd: '-h prod-redis -u redis:// DEL k', code: 'destructive', target: 'prod-redis:6379' },
  { cmd: '-h prod-redis -u redis:///5 DEL k', code: 'destructive', target: 'prod-redis:6379/5' },
  { cmd: '-u REDIS://prod-redis DEL k', code: 'destructive', target: 'prod-redis:6379' },
  { cmd: '-u redis://:p@ss@prod-redis DEL k', code: 'destructive', target: 'ss@prod-redis:6379', secrets: [1] },
  { cmd: '-u http://prod-redis DEL k', code: 'noEffect' }, // redis-cli: Invalid URI scheme
  { cmd: '-u redis://prod-redis.example.com:6379/0?x=1 GET k', code: 'readOnly',
    target: 'prod-redis.example.com:6379' },
  // --- secrets
  { cmd: '-h prod-redis -a s3cret GET k', code: 'readOnly', secrets: [3] },
  { cmd: '-h prod-redis --pass s3cret --user admin GET k', code: 'readOnly', secrets: [3] },
  { cmd: '-h prod-redis AUTH s3cret', code: 'readOnly', secrets: [3] },
  { cmd: '-h prod-redis AUTH admin s3cret', code: 'readOnly', secrets: [3, 4] },
  { cmd: '-h prod-redis HELLO 3 AUTH admin s3cret', code: 'readOnly', secrets: [5, 6] },
  { cmd: '-h prod-redis CONFIG SET requirepass n3w', code: 'destructive', secrets: [5] },
  { cmd: '-h prod-redis CONFIG SET maxmemory 1gb masterauth pw', code: 'destructive', secrets: [7] },
  { cmd: '-h prod-redis MIGRATE h 6379 "" 0 5000 AUTH pw KEYS a b', code: 'destructive', secrets: [9] },
  { cmd: '-h prod-redis MIGRATE h 6379 "" 0 5000 AUTH2 u pw KEYS a', code: 'destructive', secrets: [9, 10] },
  { cmd: '--cluster import prod-redis:7000 --cluster-from dev:7000 --cluster-from-pass pw', code: 'mutating',
    target: 'prod-redis:7000,dev:7000', secrets: [6] },
  // --- socket, TLS
  { cmd: '-s /run/redis/redis.sock FLUSHALL', code: 'destructive', target: '/run/redis/redis.sock' },
  { cmd: '-h prod-redis -s /tmp/r.sock FLUSHALL', code: 'destructive', target: '/tmp/r.sock' },
  { cmd: '--tls -h prod-redis --cacert ca.pem DEL k', code: 'destructive', target: 'prod-redis:6379' },
  { cmd: '--sni -h prod-redis DEL k', code: 'unknown', target: LOCAL }, // --sni takes "-h": `prod-redis` is the command
  // --- modes
  { cmd: '-h prod-redis --scan --pattern "user:*"', code: 'readOnly' },
  { cmd: '-h prod-redis --bigkeys', code: 'readOnly' },
  { cmd: '-h prod-redis --memkeys', code: 'readOnly' },
  { cmd: '-h prod-redis --memkeys-samples 10', code: 'readOnly' },
  { cmd: '-h prod-redis --hotkeys', code: 'readOnly' },
  { cmd: '-h prod-redis --stat', code: 'readOnly' },
  { cmd: '-h prod-redis --latency', code: 'readOnly' },
  { cmd: '-h prod-redis --latency-history -i 5', code: 'readOnly' },
  { cmd: '-h prod-redis --latency-dist', code: 'readOnly' },
  { cmd: '-h prod-redis --rdb /tmp/dump.rdb', code: 'readOnly' },
  { cmd: '-h prod-redis --functions-rdb /tmp/f.rdb', code: 'readOnly' },
  { cmd: '-h prod-redis --replica', code: 'readOnly' },
  { cmd: '-h prod-redis --slave', code: 'readOnly' },
  { cmd: '-h prod-redis --lru-test 1000', code: 'mutating' },
  { cmd: '-h prod-redis --intrinsic-latency 5', code: 'localOnly' },
  { cmd: '-h prod-redis --scan FLUSHALL', code: 'readOnly' }, // the scan mode exits before any command
  { cmd: '-h prod-redis --pipe', stdin: '*1\r\n$8\r\nFLUSHALL\r\n', code: 'destructive' },
  { cmd: '-h prod-redis --pipe', stdin: '*2\r\n$3\r\nGET\r\n$1\r\na\r\n', code: 'readOnly' },
  { cmd: '-h prod-redis --pipe', stdin: 'SET a 1\r\nGET a\r\n', code: 'mutating' },
  { cmd: '-h prod-redis --pipe', stdin: 'PING\nGET a\n', code: 'readOnly' },
  { cmd: '-h prod-redis --pipe', stdin: '*1\r\n$9\r\nFLUSHALL\r\n', code: 'unparseable' },
  { cmd: '-h prod-redis --pipe', stdin: '*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n', code: 'destructive' },
  { cmd: '-h prod-redis --pipe', code: 'interactive' },
  { cmd: '-h prod-redis --pipe --pipe-timeout 0', stdin: 'FLUSHDB\n', code: 'destructive' },
  // --- commands from stdin (no command given)
  { cmd: '-h prod-redis', stdin: 'GET a\nHGETALL h\n', code: 'readOnly' },
  { cmd: '-h prod-redis', stdin: 'GET a\nFLUSHALL\n', code: 'destructive' },
  { cmd: '-h prod-redis', stdin: 'get a\r\nflushdb\r\n', code: 'destructive' },
  { cmd: '-h prod-redis', stdin: '  \n\nPING\n', code: 'readOnly' },
  { cmd: '-h prod-redis', stdin: 'FL"USHALL"\n', code: 'destructive' }, // attacker: quotes inside a word
  { cmd: '-h prod-redis', stdin: '"FLUSH\\x41LL"\n', code: 'destructive' }, // attacker: hex escape
  { cmd: '-h prod-redis', stdin: "'flushall'\n", code: 'destructive' },
  { cmd: '-h prod-redis', stdin: '5 DEL k\n', code: 'destructive' }, // repeat prefix
  { cmd: '-h prod-redis', stdin: '"DEL" k\n', code: 'destructive' },
  { cmd: '-h prod-redis', stdin: 'GET a\nquit\nFLUSHALL\n', code: 'readOnly' }, // quit ends the session
  { cmd: '-h prod-redis', stdin: 'GET a\n5 quit\nFLUSHALL\n', code: 'destructive' }, // `5 quit` is sent, not obeyed
  { cmd: '-h prod-redis', stdin: 'connect 127.0.0.1 6380\nFLUSHALL\n', code: 'destructive' },
  { cmd: '-h prod-redis', stdin: 'connect evil 6379\nGET a\n', code: 'unknown' },
  { cmd: '-h prod-redis', stdin: ':set hints off\nGET a\n', code: 'readOnly' },
  { cmd: '-h prod-redis', stdin: 'GET "unterminated\n', code: 'unparseable' },
  { cmd: '-h prod-redis', stdin: 'MULTI\nDEL a\nEXEC\n', code: 'destructive' },
  { cmd: '-h prod-redis', stdin: '', code: 'noEffect' },
  { cmd: '-h prod-redis', code: 'interactive' },
  { cmd: '-h prod-redis -n 1', code: 'interactive' },
  { cmd: '-h prod-redis --askpass', stdin: 'FLUSHALL\nGET a\n', code: 'readOnly' }, // first line is the password
  { cmd: '-h prod-redis -x', stdin: 'FLUSHALL\n', code: 'destructive' }, // -x without a command: the REPL reads stdin
  // --- -x / -X: an argument from stdin
  { cmd: '-h prod-redis -x SET k', stdin: 'value', code: 'mutating' },
  { cmd: '-h prod-redis -x GET', stdin: 'k', code: 'readOnly' },
  { cmd: '-h prod-redis -x CONFIG', stdin: 'SET', code: 'destructive' }, // the subcommand comes from stdin
  { cmd: '-h prod-redis -x CONFIG', code: 'unknown' },
  { cmd: '-h prod-redis -X T T', stdin: 'FLUSHALL', code: 'destructive' }, // attacker: the command itself from stdin
  { cmd: '-h prod-redis -X T GET T', stdin: 'k', code: 'readOnly' },
  { cmd: '-h prod-redis -X T EVAL T 0', stdin: "return redis.call('del','k')", code: 'destructive' },
  // --- --quoted-input
  { cmd: '-h prod-redis --quoted-input "\\"FLUSH\\\\x41LL\\""', code: 'destructive' }, // attacker
  { cmd: '-h prod-redis --quoted-input GET "\\"a b\\""', code: 'readOnly' },
  { cmd: '-h prod-redis --quoted-input "\\"unterminated"', code: 'noEffect' },
  // --- -r repeats
  { cmd: '-h prod-redis -r 100 -i 1 INFO', code: 'readOnly' },
  { cmd: '-h prod-redis -r 100 LPUSH l x', code: 'mutating' },
  { cmd: '-h prod-redis -r -1 DEL k', code: 'destructive' },
  // --- --cluster
  { cmd: '--cluster call prod-redis:7000 FLUSHALL', code: 'destructive', target: 'prod-redis:7000' },
  { cmd: '--cluster call prod-redis:7000 INFO', code: 'readOnly', target: 'prod-redis:7000' },
  { cmd: '--cluster call prod-redis:7000 CONFIG SET save ""', code: 'destructive' },
  { cmd: '--cluster call --cluster-only-masters prod-redis:7000 DEL k', code: 'destructive',
    target: 'prod-redis:7000' },
  { cmd: '-h dev --cluster call prod-redis:7000 DEL k', code: 'destructive', target: 'prod-redis:7000' },
  { cmd: '--cluster check prod-redis:7000', code: 'readOnly', target: 'prod-redis:7000' },
  { cmd: '--cluster check prod-redis 7000', code: 'readOnly', target: 'prod-redis:7000' },
  { cmd: '--cluster info prod-redis:7000', code: 'readOnly' },
  { cmd: '--cluster backup prod-redis:7000 /tmp/bk', code: 'readOnly' },
  { cmd: '--cluster help', code: 'noEffect' },
  { cmd: '--cluster fix prod-redis:7000', code: 'mutating' },
  { cmd: '--cluster reshard prod-redis:7000 --cluster-from a --cluster-to b --cluster-slots 10 --cluster-yes',
    code: 'mutating', target: 'prod-redis:7000' },
  { cmd: '--cluster rebalance prod-redis:7000 --cluster-weight n1=2 n2=1 --cluster-simulate', code: 'mutating' },
  { cmd: '--cluster add-node new:7006 prod-redis:7000', code: 'mutating', target: 'new:7006,prod-redis:7000' },
  { cmd: '--cluster del-node prod-redis:7000 abcdef', code: 'destructive' },
  { cmd: '--cluster set-timeout prod-redis:7000 5000', code: 'mutating' },
  { cmd: '--cluster create prod-a:7000 prod-b:7000 --cluster-replicas 1', code: 'mutating',
    target: 'prod-a:7000,prod-b:7000' },
  { cmd: '--cluster frobnicate prod-redis:7000', code: 'unknown' },
  { cmd: '--cluster CHECK prod-redis:7000', code: 'unknown' },
  { cmd: '--cluster constructor prod-redis:7000', code: 'unknown' }, // attacker: an Object.prototype member
  { cmd: '--cluster call -a pw prod-redis:7000 FLUSHALL', code: 'destructive', target: 'prod-redis:7000',
    secrets: [3] },
  // --- what redis-cli refuses or only prints
  { cmd: '--help FLUSHALL', code: 'noEffect' },
  { cmd: '-v', code: 'noEffect' },
  { cmd: '--version', code: 'noEffect' },
  { cmd: '-h', code: 'noEffect' },
  { cmd: '-h prod-redis -p', code: 'noEffect' },
  { cmd: '-h prod-redis --memkeys-samples', code: 'noEffect' },
  // --- options this redis-cli does not know: the command may start elsewhere (a newer version's -t 5)
  { cmd: '-h prod-redis -t 5 FLUSHALL', code: 'unparseable', target: 'prod-redis:6379' },
  { cmd: '-t 5 -h prod-redis GET a', code: 'unparseable', target: `${LOCAL},prod-redis:6379` },
  { cmd: '-h prod-redis --bogus GET a', code: 'unparseable' },
  { cmd: '-h prod-redis -hx GET a', code: 'unparseable' },
  { cmd: '-h prod-redis - FLUSHALL', code: 'unparseable' },
  { cmd: '-h prod-redis -- FLUSHALL', code: 'unparseable' },
];

function run(row: Row): { code: VerdictCode; targets: string; secrets: readonly number[] } {
  const a = redisModule.analyze('redis-cli', shellWords(row.cmd), ctx);
  const v = a.judge({ text: row.stdin });
  return { code: v.code, targets: a.targets.map((t) => t.name).join(','), secrets: a.secretArgs };
}

describe('guard: redis-cli golden table', () => {
  for (const row of ROWS) {
    const cmd = row.cmd.replace(/[\r\n]/g, (c) => (c === '\r' ? '\\r' : '\\n'));
    it(`redis-cli ${cmd}${row.stdin !== undefined ? ` <<< ${JSON.stringify(row.stdin)}` : ''} → ${row.code}`, () => {
      const r = run(row);
      assert.strictEqual(r.code, row.code);
      if (row.target !== undefined) assert.strictEqual(r.targets, row.target);
      if (row.secrets !== undefined) assert.deepStrictEqual(r.secrets, row.secrets);
    });
  }

  it('has a few hundred rows, most of them asking in production', () => {
    assert.ok(ROWS.length >= 250, `${ROWS.length} rows`);
    assert.ok(ROWS.filter((r) => asks({ code: r.code, what: '' })).length > 100);
  });
});

/** Rows: the command line, stdin, the servers its `connect` lines reach (stdinTargets names; '' for none). */
const CONNECT_ROWS: Array<[string, string, string]> = [
  ['-h localhost -p 1', 'connect 127.0.0.1 6390\nflushall\n', '127.0.0.1:6390'],
  ['-h localhost -p 1', 'con"nect" prod-redis 6379\nflushall\n', 'prod-redis:6379'], // attacker: quotes in a word
  ['-h localhost -p 1', "con'nect' prod-redis 6379\n", 'prod-redis:6379'],
  ['-h localhost -p 1', '"\\x63onnect" prod-redis 6379\n', 'prod-redis:6379'], // attacker: hex escape
  ['-h localhost -p 1', '"con\\nect" prod-redis 6379\n', ''], // \n is a newline inside the word: not connect
  ['-h localhost -p 1', 'CONNECT prod-redis 6379\n', 'prod-redis:6379'],
  ['-h localhost -p 1', 'CoNnEcT prod-redis 6379\r\n', 'prod-redis:6379'],
  ['-h localhost -p 1', '   connect \t prod-redis    6380   \n', 'prod-redis:6380'],
  ['-h localhost -p 1', 'connect "prod-redis" "6380"\n', 'prod-redis:6380'],
  ['-h localhost -p 1', 'connect prod-redis 6380abc\n', 'prod-redis:6380'], // atoi
  ['-h localhost -p 1', "connect prod-redis ' 6380'\n", 'prod-redis:6380'],
  ['-h localhost -p 1', 'connect prod-redis 6379\u0000 DEL k\n', 'prod-redis:6379'], // the line ends at NUL
  ['-h localhost -p 1', 'GET a\nconnect a 1\nconnect prod-redis 6379\nconnect a 1\n', 'a:1,prod-redis:6379'],
  ['-h localhost -p 1', '1 connect prod-redis 6379\n', ''], // a repeat count: sent to the server instead
  ['-h localhost -p 1', 'connect prod-redis 6379 extra\n', ''],
  ['-h localhost -p 1', 'connect prod-redis\n', ''],
  ['-h localhost -p 1', 'connect "prod-redis 6379\n', ''], // cannot be split: redis-cli ignores the line
  ['-h localhost -p 1', 'GET connect\n', ''],
  ['-h localhost -p 1', '', ''],
  ['-s /tmp/dev.sock', 'connect prod-redis 6379\nFLUSHALL\n', ''], // -s: the new connection uses the socket
  ['-c -s /tmp/dev.sock', 'connect prod-redis 6379\n', 'prod-redis:6379'],
  ['-h dev --pipe', 'connect prod-redis 6379\n', ''], // --pipe sends it to the server
  ['-h dev -x SET k', 'connect prod-redis 6379\n', ''], // -x: stdin is the value
  ['-h dev GET k', 'connect prod-redis 6379\n', ''],
  ['-h dev -x', 'connect prod-redis 6379\n', 'prod-redis:6379'], // -x without a command: the REPL
  ['-h dev -n 2 --tls', 'connect prod-redis 6380\n', 'prod-redis:6380/2'],
];

describe('guard: redis-cli connect on stdin', () => {
  for (const [cmd, stdin, want] of CONNECT_ROWS) {
    it(`redis-cli ${cmd} <<< ${JSON.stringify(stdin)} → ${want || '(no server)'}`, () => {
      const a = redisModule.analyze('redis-cli', shellWords(cmd), ctx);
      const got = (a.stdinTargets?.({ text: stdin }) ?? []);
      assert.strictEqual(got.map((t) => t.name).join(','), want);
      assert.ok(got.every((t) => !t.unresolved));
    });
  }

  it('lists each server once, at most 64, then one unresolved target; fast on any input', () => {
    const a = redisModule.analyze('redis-cli', ['-h', 'dev'], ctx);
    let t = Date.now();
    const same = a.stdinTargets!({ text: 'connect a 1\n'.repeat(600_000) });
    assert.deepStrictEqual(same.map((x) => x.name), ['a:1']);
    const many = a.stdinTargets!({ text: Array.from({ length: 400_000 }, (_, k) => `connect h${k} 1\n`).join('') });
    assert.strictEqual(many.length, 65);
    assert.strictEqual(many.filter((x) => x.unresolved).length, 1);
    assert.match(many[64].unresolved!, /more than 64/);
    const long = a.stdinTargets!({ text: `connect ${'x'.repeat(7_000_000)} 1\n"${'y'.repeat(500_000)}` });
    assert.strictEqual(long.length, 1);
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
    // Larger than the guard reads (18 MB, as the reviewer sent): one unresolved target, at once.
    t = Date.now();
    const huge = a.stdinTargets!({ text: 'connect a 1\n'.repeat(1_500_000) });
    assert.strictEqual(huge.length, 1);
    assert.ok(huge[0].unresolved);
    assert.ok(a.stdinTargets!({ tooLarge: true })[0].unresolved);
    assert.ok(Date.now() - t < 500, `${Date.now() - t} ms`);
    assert.deepStrictEqual(a.stdinTargets!({}), []);
  });

  it('judges the same 8 MB of connect lines within the time budget', () => {
    const a = redisModule.analyze('redis-cli', ['-h', 'dev'], ctx);
    const t = Date.now();
    assert.strictEqual(a.judge({ text: 'connect a 1\n'.repeat(650_000) }).code, 'unknown');
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  });
});

describe('guard: redis-cli shows no password', () => {
  const judged = (argv: string[], text?: string): string =>
    JSON.stringify(redisModule.analyze('redis-cli', argv, ctx).judge({ text }));
  const ROWS: Array<[string[], string | undefined]> = [
    [['-h', 'prod-redis'], 'AUTH "hunter2" x"\n'], // cannot be split: never echoed
    [['-h', 'prod-redis'], 'GET a\nCONFIG SET requirepass "hunter2\n'],
    [['-h', 'prod-redis'], '5 AUTH hunter2\n'],
    [['-h', 'prod-redis'], '5 CONFIG SET masterauth hunter2\n'],
    [['-h', 'prod-redis'], 'FOO.SET x AUTH hunter2\n'],
    [['-h', 'prod-redis'], 'FOO.SET x requirepass hunter2 y\n'],
    [['-h', 'prod-redis'], 'ACL SETUSER bob on >hunter2 ~* +@all\n'],
    [['-h', 'prod-redis'], 'FOO.ACL SETUSER bob >hunter2\n'],
    [['-h', 'prod-redis'], 'HELLO 3 AUTH admin hunter2 SETNAME x\n'],
    [['-h', 'prod-redis', '--pipe'], '*1\r\n$4\r\nPING\r\nCONFIG SET requirepass hunter2\r\n'],
    [['-h', 'prod-redis', 'EVAL', "redis.call('CONFIG','SET','requirepass','hunter2')", '0'], undefined],
    [['-h', 'prod-redis', 'EVAL', "return redis.call('AUTH', 'hunter2')", '0'], undefined],
    [['-h', 'prod-redis', '-x', 'FOO.SET', 'k'], 'AUTH hunter2'],
    [['-h', 'prod-redis', 'MIGRATE', 'h', '1', '', '0', '5', 'AUTH2', 'u', 'hunter2', 'KEYS', 'a'], undefined],
  ];
  for (const [argv, text] of ROWS) {
    it(`redis-cli ${argv.join(' ')}${text !== undefined ? ` <<< ${JSON.stringify(text)}` : ''}`, () => {
      const out = judged(argv, text);
      assert.ok(!out.includes('hunter2'), out);
      assert.match(out, /\*\*\*|cannot split/, out);
    });
  }

  it('names an unsplittable line by its number, not its text', () => {
    const v = redisModule.analyze('redis-cli', ['-h', 'prod-redis'], ctx).judge({ text: 'GET a\nAUTH "S3cret" x"\n' });
    assert.strictEqual(v.code, 'unparseable');
    assert.strictEqual(v.what, 'a line redis-cli cannot split, line 2');
    assert.strictEqual(v.statement, undefined);
    assert.strictEqual(v.line, 2);
  });

  it('keeps what it shows short when a line is megabytes long', () => {
    const a = redisModule.analyze('redis-cli', ['-h', 'prod-redis'], ctx);
    for (const text of ['x'.repeat(1_000_000), `connect ${'h'.repeat(1_000_000)} 1\n`, `CONFIG ${'s'.repeat(1_000_000)}`]) {
      const out = JSON.stringify(a.judge({ text }));
      assert.ok(out.length < 600, out.slice(0, 300));
    }
  });

  it('leaves words that only contain a keyword alone', () => {
    const v = judgeRedisCommand(['GET', 'session:auth:42']);
    assert.strictEqual(v.statement, 'GET session:auth:42');
  });
});

describe('guard: redis-cli analysis', () => {
  it('reads stdin only when redis-cli would (no command, -x/-X, --pipe)', () => {
    const reads = (cmd: string): boolean => redisModule.analyze('redis-cli', shellWords(cmd), ctx).readsStdin;
    assert.strictEqual(reads('-h h'), true);
    assert.strictEqual(reads('-h h --pipe'), true);
    assert.strictEqual(reads('-h h -x SET k'), true);
    assert.strictEqual(reads('-h h -X t SET k t'), true);
    assert.strictEqual(reads('-h h GET k'), false);
    assert.strictEqual(reads('-h h --scan'), false);
    assert.strictEqual(reads('-h h --eval x.lua'), false);
  });

  it('names the command and masks passwords in what it shows', () => {
    const v = judgeRedisCommand(['AUTH', 'admin', 'hunter2']);
    assert.ok(!JSON.stringify(v).includes('hunter2'));
    const c = judgeRedisCommand(['config', 'set', 'requirepass', 'hunter2']);
    assert.strictEqual(c.what, 'CONFIG SET');
    assert.ok(!JSON.stringify(c).includes('hunter2'));
    const a = redisModule.analyze('redis-cli', ['-h', 'prod'], ctx)
      .judge({ text: 'GET a\nAUTH hunter2\nCONFIG SET requirepass hunter3\n' });
    assert.ok(!JSON.stringify(a).includes('hunter'), JSON.stringify(a));
    assert.strictEqual(a.line, 3);
  });

  it('gives the line of the statement that decided', () => {
    const v = redisModule.analyze('redis-cli', ['-h', 'prod'], ctx).judge({ text: 'GET a\nPING\nDEL a\nSET b 1\n' });
    assert.strictEqual(v.code, 'destructive');
    assert.strictEqual(v.line, 3);
    assert.strictEqual(v.from, 'stdin');
    assert.strictEqual(v.statement, 'DEL a');
  });

  it('says tooLarge when stdin was too large to read', () => {
    const a = redisModule.analyze('redis-cli', ['-h', 'prod'], ctx);
    assert.strictEqual(a.judge({ tooLarge: true }).code, 'tooLarge');
  });

  it('stays fast on large inputs', () => {
    const text = 'GET a\n'.repeat(300_000) + 'DEL b\n';
    let t = Date.now();
    const v = redisModule.analyze('redis-cli', ['-h', 'prod'], ctx).judge({ text });
    assert.strictEqual(v.code, 'destructive');
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
    t = Date.now();
    const lua = `return ${"redis.call('get', 'k') .. ".repeat(100_000)} 1`;
    assert.strictEqual(judgeLua(lua).code, 'readOnly');
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
    t = Date.now();
    const resp = '*1\r\n$4\r\nPING\r\n'.repeat(200_000);
    assert.strictEqual(redisModule.analyze('redis-cli', ['--pipe'], ctx).judge({ text: resp }).code, 'readOnly');
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  });

  it('splits lines like hiredis sdssplitargs', () => {
    assert.deepStrictEqual(splitArgs('SET "a b" \'c d\' e'), ['SET', 'a b', 'c d', 'e']);
    assert.deepStrictEqual(splitArgs('"\\x41\\n"'), ['A\n']);
    assert.deepStrictEqual(splitArgs('FL"USHALL"'), ['FLUSHALL']);
    assert.strictEqual(splitArgs('"a"b'), undefined);
    assert.strictEqual(splitArgs('"open'), undefined);
    assert.deepStrictEqual(splitArgs("'it\\'s'"), ["it's"]);
    assert.deepStrictEqual(splitArgs('  '), []);
    assert.deepStrictEqual(splitArgs('GET a\0DEL b'), ['GET', 'a']);
  });

  it('every command the policy tables name exists in the generated Redis table (no typo hides a command)', () => {
    for (const [table, keys] of Object.entries(REDIS_POLICY)) {
      for (const key of keys) assert.ok(REDIS_COMMANDS[key] !== undefined, `${table}: ${key}`);
    }
  });

  it('every write-flagged Redis command asks (nothing in the table is silently read-only)', () => {
    for (const [key, flags] of Object.entries(REDIS_COMMANDS)) {
      if (!flags.split(' ').includes('write')) continue;
      const args = key.split('|');
      const v = judgeRedisCommand(args.length > 1 ? args : [...args, 'k', 'STORE', 'dst']);
      assert.ok(asks(v), `${key}: ${v.code}`);
    }
  });
});
