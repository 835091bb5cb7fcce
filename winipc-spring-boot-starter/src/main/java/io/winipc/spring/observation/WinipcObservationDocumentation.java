package io.winipc.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations winipc records, with their names and keys. All keys are low cardinality; the
 * client's process id and the message sizes stay in the context, for a convention that wants them.
 */
public enum WinipcObservationDocumentation implements ObservationDocumentation {

    /**
     * One handled message of a request-reply or one-way {@code @PipeEndpoint}, or one connection of
     * a streaming one. Named {@code winipc.pipe.server}.
     */
    PIPE_SERVER {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultPipeServerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return ServerKeys.values();
        }
    },

    /** One {@code PipeTemplate} request (until its reply) or send. Named {@code winipc.pipe.client}. */
    PIPE_CLIENT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultPipeClientObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return ClientKeys.values();
        }
    };

    /** Low-cardinality keys of {@link #PIPE_SERVER}. */
    public enum ServerKeys implements KeyName {
        /** The endpoint's id. */
        ENDPOINT {
            @Override
            public String asString() {
                return "winipc.endpoint";
            }
        },
        /** The pipe's name as declared (without {@code winipc.name-prefix}). */
        PIPE {
            @Override
            public String asString() {
                return "winipc.pipe";
            }
        },
        /** {@code request-reply}, {@code one-way} or {@code streaming}. */
        MODE {
            @Override
            public String asString() {
                return "winipc.mode";
            }
        },
        /** {@code SUCCESS} or {@code ERROR}. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        },
        /** The simple class name of the handler's exception, or {@code none}. */
        EXCEPTION {
            @Override
            public String asString() {
                return "exception";
            }
        }
    }

    /** Low-cardinality keys of {@link #PIPE_CLIENT}. */
    public enum ClientKeys implements KeyName {
        /** The pipe's name as the template was asked for it (without {@code winipc.name-prefix}). */
        PIPE {
            @Override
            public String asString() {
                return "winipc.pipe";
            }
        },
        /** {@code request} or {@code send}. */
        OPERATION {
            @Override
            public String asString() {
                return "winipc.operation";
            }
        },
        /** {@code SUCCESS} or {@code ERROR}. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        },
        /** The simple class name of the exception, or {@code none}. */
        EXCEPTION {
            @Override
            public String asString() {
                return "exception";
            }
        }
    }
}
