/**
 * Auto-configuration of the starter and its {@code winipc.*} properties.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
