import type { Principal } from '../core/access/index.ts';
import type { PublicUser } from '../core/auth/users.ts';
import type { Logger } from '../core/logger.ts';

/** Context variables every Hono service of Context OS sets. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    user: PublicUser;
    /** The caller as access checks see it: the user, and the limits of their API key if they used one. */
    principal: Principal;
    authMethod: 'cookie' | 'jwt' | 'api_key';
    /** The `jti` of the session token the request came with (cookie or Bearer JWT). */
    tokenId: string;
    /** Why presented credentials were refused, for the 401 of a route that needs a user. */
    authFailure: string;
  };
}
