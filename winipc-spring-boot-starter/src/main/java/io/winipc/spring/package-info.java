/**
 * The winipc Spring Boot starter: {@link io.winipc.spring.PipeEndpoint} turns a bean method into
 * a pipe server, with {@link io.winipc.spring.PipeName} and {@link io.winipc.spring.PeerPid} for its
 * parameters. docs/spring-boot-starter.md describes every property, meter and health detail.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring;

import org.jspecify.annotations.NullMarked;
