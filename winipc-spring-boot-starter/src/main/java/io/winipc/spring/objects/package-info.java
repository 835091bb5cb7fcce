/**
 * Named objects configured under {@code winipc.objects.*}: created or opened at start-up, held by
 * {@link io.winipc.spring.objects.NamedObjectRegistry}, and closed with the context.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.objects;

import org.jspecify.annotations.NullMarked;
