/* Zircon's basic types and the VM constants of <zircon/types.h>. Like
 * Fuchsia's, it brings in the rights, statuses, limits and time
 * definitions, so a program needs no other include for them. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/compiler.h>
#include <zircon/errors.h>
#include <zircon/limits.h>
#include <zircon/rights.h>
#include <zircon/time.h>

/* Fuchsia's C header brings the C11 atomics too; programs rely on it. */
#ifndef __cplusplus
#include <stdatomic.h>
#endif

typedef int32_t zx_status_t;
typedef uint32_t zx_handle_t;
typedef uint64_t zx_koid_t;
typedef uint32_t zx_vm_option_t;
typedef uint32_t zx_obj_type_t;
typedef uint32_t zx_object_info_topic_t;
typedef uint32_t zx_signals_t;
typedef uintptr_t zx_vaddr_t;
typedef uintptr_t zx_paddr_t;
typedef uint64_t zx_off_t;
typedef uint32_t zx_txid_t;

#define ZX_HANDLE_INVALID         ((zx_handle_t)0)
#define ZX_HANDLE_FIXED_BITS_MASK ((zx_handle_t)0x3)
#define ZX_KOID_INVALID           ((zx_koid_t)0)
#define ZX_KOID_KERNEL            ((zx_koid_t)1)
#define ZX_KOID_FIRST             ((zx_koid_t)1024)
#define ZX_MAX_NAME_LEN           ((size_t)32u)

/* Object types. */
#define ZX_OBJ_TYPE_NONE          ((zx_obj_type_t)0u)
#define ZX_OBJ_TYPE_PROCESS       ((zx_obj_type_t)1u)
#define ZX_OBJ_TYPE_THREAD        ((zx_obj_type_t)2u)
#define ZX_OBJ_TYPE_VMO           ((zx_obj_type_t)3u)
#define ZX_OBJ_TYPE_CHANNEL       ((zx_obj_type_t)4u)
#define ZX_OBJ_TYPE_EVENT         ((zx_obj_type_t)5u)
#define ZX_OBJ_TYPE_PORT          ((zx_obj_type_t)6u)
#define ZX_OBJ_TYPE_INTERRUPT     ((zx_obj_type_t)9u)
#define ZX_OBJ_TYPE_PCI_DEVICE    ((zx_obj_type_t)11u)
#define ZX_OBJ_TYPE_DEBUGLOG      ((zx_obj_type_t)12u)
#define ZX_OBJ_TYPE_LOG           ZX_OBJ_TYPE_DEBUGLOG
#define ZX_OBJ_TYPE_SOCKET        ((zx_obj_type_t)14u)
#define ZX_OBJ_TYPE_RESOURCE      ((zx_obj_type_t)15u)
#define ZX_OBJ_TYPE_EVENTPAIR     ((zx_obj_type_t)16u)
#define ZX_OBJ_TYPE_JOB           ((zx_obj_type_t)17u)
#define ZX_OBJ_TYPE_VMAR          ((zx_obj_type_t)18u)
#define ZX_OBJ_TYPE_FIFO          ((zx_obj_type_t)19u)
#define ZX_OBJ_TYPE_GUEST         ((zx_obj_type_t)20u)
#define ZX_OBJ_TYPE_VCPU          ((zx_obj_type_t)21u)
#define ZX_OBJ_TYPE_TIMER         ((zx_obj_type_t)22u)
#define ZX_OBJ_TYPE_IOMMU         ((zx_obj_type_t)23u)
#define ZX_OBJ_TYPE_BTI           ((zx_obj_type_t)24u)
#define ZX_OBJ_TYPE_PROFILE       ((zx_obj_type_t)25u)
#define ZX_OBJ_TYPE_PMT           ((zx_obj_type_t)26u)
#define ZX_OBJ_TYPE_SUSPEND_TOKEN ((zx_obj_type_t)27u)
#define ZX_OBJ_TYPE_PAGER         ((zx_obj_type_t)28u)
#define ZX_OBJ_TYPE_EXCEPTION     ((zx_obj_type_t)29u)
#define ZX_OBJ_TYPE_CLOCK         ((zx_obj_type_t)30u)
#define ZX_OBJ_TYPE_STREAM        ((zx_obj_type_t)31u)
#define ZX_OBJ_TYPE_MSI           ((zx_obj_type_t)32u)
#define ZX_OBJ_TYPE_IOB           ((zx_obj_type_t)33u)
#define ZX_OBJ_TYPE_UPPER_BOUND   ((zx_obj_type_t)64u)

/* VMAR allocate / map / protect options. */
#define ZX_VM_PERM_READ                    ((zx_vm_option_t)(1u << 0))
#define ZX_VM_PERM_WRITE                   ((zx_vm_option_t)(1u << 1))
#define ZX_VM_PERM_EXECUTE                 ((zx_vm_option_t)(1u << 2))
#define ZX_VM_COMPACT                      ((zx_vm_option_t)(1u << 3))
#define ZX_VM_SPECIFIC                     ((zx_vm_option_t)(1u << 4))
#define ZX_VM_SPECIFIC_OVERWRITE           ((zx_vm_option_t)(1u << 5))
#define ZX_VM_CAN_MAP_SPECIFIC             ((zx_vm_option_t)(1u << 6))
#define ZX_VM_CAN_MAP_READ                 ((zx_vm_option_t)(1u << 7))
#define ZX_VM_CAN_MAP_WRITE                ((zx_vm_option_t)(1u << 8))
#define ZX_VM_CAN_MAP_EXECUTE              ((zx_vm_option_t)(1u << 9))
#define ZX_VM_MAP_RANGE                    ((zx_vm_option_t)(1u << 10))
#define ZX_VM_REQUIRE_NON_RESIZABLE        ((zx_vm_option_t)(1u << 11))
#define ZX_VM_ALLOW_FAULTS                 ((zx_vm_option_t)(1u << 12))
#define ZX_VM_OFFSET_IS_UPPER_LIMIT        ((zx_vm_option_t)(1u << 13))
#define ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED ((zx_vm_option_t)(1u << 14))
#define ZX_VM_FAULT_BEYOND_STREAM_SIZE     ((zx_vm_option_t)(1u << 15))

#define ZX_VM_ALIGN_BASE  24
#define ZX_VM_ALIGN_1KB   ((zx_vm_option_t)(10u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_2KB   ((zx_vm_option_t)(11u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_4KB   ((zx_vm_option_t)(12u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_8KB   ((zx_vm_option_t)(13u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_16KB  ((zx_vm_option_t)(14u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_32KB  ((zx_vm_option_t)(15u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_64KB  ((zx_vm_option_t)(16u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_128KB ((zx_vm_option_t)(17u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_256KB ((zx_vm_option_t)(18u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_512KB ((zx_vm_option_t)(19u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_1MB   ((zx_vm_option_t)(20u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_2MB   ((zx_vm_option_t)(21u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_4MB   ((zx_vm_option_t)(22u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_8MB   ((zx_vm_option_t)(23u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_16MB  ((zx_vm_option_t)(24u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_32MB  ((zx_vm_option_t)(25u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_64MB  ((zx_vm_option_t)(26u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_128MB ((zx_vm_option_t)(27u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_256MB ((zx_vm_option_t)(28u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_512MB ((zx_vm_option_t)(29u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_1GB   ((zx_vm_option_t)(30u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_2GB   ((zx_vm_option_t)(31u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_4GB   ((zx_vm_option_t)(32u << ZX_VM_ALIGN_BASE))

/* Legacy spellings. */
#define ZX_VM_FLAG_PERM_READ             ZX_VM_PERM_READ
#define ZX_VM_FLAG_PERM_WRITE            ZX_VM_PERM_WRITE
#define ZX_VM_FLAG_PERM_EXECUTE          ZX_VM_PERM_EXECUTE
#define ZX_VM_FLAG_COMPACT               ZX_VM_COMPACT
#define ZX_VM_FLAG_SPECIFIC              ZX_VM_SPECIFIC
#define ZX_VM_FLAG_SPECIFIC_OVERWRITE    ZX_VM_SPECIFIC_OVERWRITE
#define ZX_VM_FLAG_CAN_MAP_SPECIFIC      ZX_VM_CAN_MAP_SPECIFIC
#define ZX_VM_FLAG_CAN_MAP_READ          ZX_VM_CAN_MAP_READ
#define ZX_VM_FLAG_CAN_MAP_WRITE         ZX_VM_CAN_MAP_WRITE
#define ZX_VM_FLAG_CAN_MAP_EXECUTE       ZX_VM_CAN_MAP_EXECUTE
#define ZX_VM_FLAG_MAP_RANGE             ZX_VM_MAP_RANGE
#define ZX_VM_FLAG_REQUIRE_NON_RESIZABLE ZX_VM_REQUIRE_NON_RESIZABLE

/* VMO creation options. */
#define ZX_VMO_RESIZABLE   ((uint32_t)1u << 1)
#define ZX_VMO_DISCARDABLE ((uint32_t)1u << 2)
#define ZX_VMO_TRAP_DIRTY  ((uint32_t)1u << 3)
#define ZX_VMO_UNBOUNDED   ((uint32_t)1u << 4)

/* VMO child options. */
#define ZX_VMO_CHILD_SNAPSHOT                   ((uint32_t)1u << 0)
#define ZX_VMO_CHILD_RESIZABLE                  ((uint32_t)1u << 2)
#define ZX_VMO_CHILD_SLICE                      ((uint32_t)1u << 3)
#define ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE ((uint32_t)1u << 4)
#define ZX_VMO_CHILD_NO_WRITE                   ((uint32_t)1u << 5)
#define ZX_VMO_CHILD_REFERENCE                  ((uint32_t)1u << 6)
#define ZX_VMO_CHILD_SNAPSHOT_MODIFIED          ((uint32_t)1u << 7)
#define ZX_VMO_CLONE_COPY_ON_WRITE              ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE
#define ZX_VMO_CHILD_COPY_ON_WRITE              ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE
#define ZX_VMO_CHILD_PRIVATE_PAGER_COPY         ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE

/* zx_vmo_op_range operations. */
#define ZX_VMO_OP_COMMIT                 1u
#define ZX_VMO_OP_DECOMMIT               2u
#define ZX_VMO_OP_LOCK                   3u
#define ZX_VMO_OP_UNLOCK                 4u
#define ZX_VMO_OP_CACHE_SYNC             6u
#define ZX_VMO_OP_CACHE_INVALIDATE       7u
#define ZX_VMO_OP_CACHE_CLEAN            8u
#define ZX_VMO_OP_CACHE_CLEAN_INVALIDATE 9u
#define ZX_VMO_OP_ZERO                   10u
#define ZX_VMO_OP_TRY_LOCK               11u
#define ZX_VMO_OP_DONT_NEED              12u
#define ZX_VMO_OP_ALWAYS_NEED            13u
#define ZX_VMO_OP_PREFETCH               14u

/* zx_vmar_op_range operations. */
#define ZX_VMAR_OP_COMMIT      1u
#define ZX_VMAR_OP_DECOMMIT    2u
#define ZX_VMAR_OP_MAP_RANGE   3u
#define ZX_VMAR_OP_ZERO        10u
#define ZX_VMAR_OP_DONT_NEED   12u
#define ZX_VMAR_OP_ALWAYS_NEED 13u
#define ZX_VMAR_OP_PREFETCH    14u

/* Cache policies. */
#define ZX_CACHE_POLICY_CACHED          0u
#define ZX_CACHE_POLICY_UNCACHED        1u
#define ZX_CACHE_POLICY_UNCACHED_DEVICE 2u
#define ZX_CACHE_POLICY_WRITE_COMBINING 3u
#define ZX_CACHE_POLICY_MASK            3u

/* Signals. */
#define ZX_SIGNAL_NONE       ((zx_signals_t)0u)
#define ZX_VMO_ZERO_CHILDREN ((zx_signals_t)1u << 3)

/* Discardable VMO lock state, filled by ZX_VMO_OP_LOCK. */
typedef struct zx_vmo_lock_state {
    uint64_t offset;
    uint64_t size;
    uint64_t discarded_offset;
    uint64_t discarded_size;
} zx_vmo_lock_state_t;

#define ZX_TASK_RETCODE_SYSCALL_KILL   ((int64_t)-1024)
#define ZX_TASK_RETCODE_OOM_KILL       ((int64_t)-1025)
#define ZX_TASK_RETCODE_POLICY_KILL    ((int64_t)-1026)
#define ZX_TASK_RETCODE_VDSO_KILL      ((int64_t)-1027)
#define ZX_TASK_RETCODE_EXCEPTION_KILL ((int64_t)-1028)
