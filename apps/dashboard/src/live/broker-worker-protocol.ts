import type { MqttClientErrorCode, PublishOptions } from '@ot-mqtt/mqtt-client';
import type { BrokerLogin, BrokerStatus, Channel } from './broker-link.js';

/** Page → worker. */
export type WorkerRequest =
  | {
      readonly type: 'open';
      readonly url: string;
      readonly root: string;
      readonly login?: BrokerLogin;
      /** Messages are posted in batches this far apart, ms; 0 posts each one at once. */
      readonly batchMs: number;
    }
  | {
      readonly type: 'publish';
      readonly id: number;
      readonly topic: string;
      readonly payload: string;
      readonly options: PublishOptions;
    }
  | { readonly type: 'close' };

/** One message as the page gets it: only what the screens read (payload copied out of the socket's buffer). */
export interface RelayedMessage {
  readonly channel: Channel;
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly receivedAt: number;
}

/** Worker → page. */
export type WorkerEvent =
  | { readonly type: 'messages'; readonly messages: readonly RelayedMessage[] }
  | { readonly type: 'status'; readonly status: BrokerStatus }
  | {
      readonly type: 'refused';
      readonly filter: string;
      readonly reason: string;
      readonly at: number;
    }
  | {
      readonly type: 'published';
      readonly id: number;
      readonly error?: {
        readonly code?: MqttClientErrorCode;
        readonly message: string;
        readonly reasonCode?: number;
      };
    }
  | { readonly type: 'closed' };
