/**
 * Not API: helpers the starter's packages share. Applications should not use these types; they
 * may change in any release.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.internal;

import org.jspecify.annotations.NullMarked;
