import type { PublicUser } from '../core/auth/users.ts';
import type { Logger } from '../core/logger.ts';

/** Context variables every Hono service of Context OS sets. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    user: PublicUser;
    authMethod: 'cookie' | 'jwt' | 'api_key';
    /** Why presented credentials were refused, for the 401 of a route that needs a user. */
    authFailure: string;
  };
}
