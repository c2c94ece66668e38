// Closes the DNS-rebinding gap of a check-then-fetch SSRF guard: the addresses a
// webhook connection actually dials are checked inside the socket's own lookup,
// so a name that resolved to a public address when it was checked cannot
// resolve to an internal one when it is used.
import type dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { defaultLookup, isRefusedAddress, SsrfError, type AllowList, type LookupAll } from './ssrf.js';

/** A `net` lookup that only ever yields addresses the SSRF policy allows. */
export function guardedLookup(allow: AllowList, resolve: LookupAll = defaultLookup): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
    resolve(hostname).then(
      (found) => {
        const allowed = allow.allowsHost(hostname) ? found : found.filter((a) => !isRefusedAddress(a.address, allow));
        const wanted = options.family === 4 || options.family === 6 ? allowed.filter((a) => a.family === options.family) : allowed;
        if (!wanted.length) {
          const err = Object.assign(new SsrfError(`${hostname} resolves to a loopback, private or link-local address at connect time`), { code: 'ESSRF' });
          return done(err, '');
        }
        if (options.all) done(null, wanted);
        else done(null, wanted[0].address, wanted[0].family);
      },
      (err: Error) => done(err, ''),
    );
  };
}

/** The HTTP agent webhook attempts go through (keep-alive pool + the guarded lookup). */
export function webhookAgent(allow: AllowList, resolve?: LookupAll): Agent {
  return new Agent({ connect: { lookup: guardedLookup(allow, resolve) } });
}
