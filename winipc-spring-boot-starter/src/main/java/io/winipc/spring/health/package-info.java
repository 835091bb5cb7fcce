/**
 * The {@code winipc} health contributor: the backend, every pipe endpoint and every configured named object.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.health;

import org.jspecify.annotations.NullMarked;
