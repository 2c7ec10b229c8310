/* Info topics, properties and their record layouts, as in Zircon's
 * <zircon/syscalls/object.h>. Layouts are LP64 and identical on both ISAs. */
#pragma once

#include <zircon/types.h>

#define ZX_INFO_TOPIC(topic, version) ((zx_object_info_topic_t)((topic) | ((version) << 28)))

#define ZX_INFO_NONE                 ((zx_object_info_topic_t)0u)
#define ZX_INFO_HANDLE_VALID         ((zx_object_info_topic_t)1u)
#define ZX_INFO_HANDLE_BASIC         ((zx_object_info_topic_t)2u)
#define ZX_INFO_PROCESS              ZX_INFO_TOPIC(3u, 1)
#define ZX_INFO_VMAR                 ((zx_object_info_topic_t)7u)
#define ZX_INFO_TASK_STATS_V1        ZX_INFO_TOPIC(12u, 0)
#define ZX_INFO_TASK_STATS           ZX_INFO_TOPIC(12u, 1)
#define ZX_INFO_PROCESS_MAPS_V1      ZX_INFO_TOPIC(13u, 0)
#define ZX_INFO_PROCESS_MAPS_V2      ZX_INFO_TOPIC(13u, 1)
#define ZX_INFO_PROCESS_MAPS         ZX_INFO_TOPIC(13u, 2)
#define ZX_INFO_PROCESS_VMOS_V1      ZX_INFO_TOPIC(14u, 0)
#define ZX_INFO_PROCESS_VMOS_V2      ZX_INFO_TOPIC(14u, 1)
#define ZX_INFO_PROCESS_VMOS_V3      ZX_INFO_TOPIC(14u, 2)
#define ZX_INFO_PROCESS_VMOS         ZX_INFO_TOPIC(14u, 3)
#define ZX_INFO_HANDLE_COUNT         ((zx_object_info_topic_t)19u)
#define ZX_INFO_PROCESS_HANDLE_STATS ((zx_object_info_topic_t)21u)
#define ZX_INFO_VMO_V1               ZX_INFO_TOPIC(23u, 0)
#define ZX_INFO_VMO_V2               ZX_INFO_TOPIC(23u, 1)
#define ZX_INFO_VMO_V3               ZX_INFO_TOPIC(23u, 2)
#define ZX_INFO_VMO                  ZX_INFO_TOPIC(23u, 3)
#define ZX_INFO_VMAR_MAPS            ((zx_object_info_topic_t)36u)

/* Properties. */
#define ZX_PROP_NAME             ((uint32_t)3u)
#define ZX_PROP_VMO_CONTENT_SIZE ((uint32_t)17u)

typedef struct zx_info_handle_basic {
    zx_koid_t koid;
    zx_rights_t rights;
    zx_obj_type_t type;
    zx_koid_t related_koid;
    uint32_t reserved;
    uint8_t padding1[4];
} zx_info_handle_basic_t;

typedef struct zx_info_handle_count {
    uint32_t handle_count;
} zx_info_handle_count_t;

/* Memory of the mappings in a process. Private bytes are committed pages
 * only one VMO reaches; shared bytes the others, and the scaled figure
 * divides each shared page by the number of VMOs sharing it (63-bit
 * fraction of a byte in the last field). A VMO mapped twice counts twice. */
typedef struct zx_info_task_stats {
    size_t mem_mapped_bytes;
    size_t mem_private_bytes;
    size_t mem_shared_bytes;
    size_t mem_scaled_shared_bytes;
    uint64_t mem_fractional_scaled_shared_bytes;
} zx_info_task_stats_t;

typedef struct zx_info_task_stats_v1 {
    size_t mem_mapped_bytes;
    size_t mem_private_bytes;
    size_t mem_shared_bytes;
    size_t mem_scaled_shared_bytes;
} zx_info_task_stats_v1_t;

typedef struct zx_info_process {
    int64_t return_code;
    zx_time_t start_time;
    uint32_t flags;
    uint8_t padding1[4];
} zx_info_process_t;

#define ZX_INFO_PROCESS_FLAG_STARTED           (1u << 0)
#define ZX_INFO_PROCESS_FLAG_EXITED            (1u << 1)
#define ZX_INFO_PROCESS_FLAG_DEBUGGER_ATTACHED (1u << 2)

typedef struct zx_info_vmar {
    uintptr_t base;
    size_t len;
} zx_info_vmar_t;

/* ZX_INFO_PROCESS_HANDLE_STATS: how many handles the process holds, per
 * object type (indexed by ZX_OBJ_TYPE_*). */
typedef struct zx_info_process_handle_stats {
    uint32_t handle_count[ZX_OBJ_TYPE_UPPER_BOUND];
} zx_info_process_handle_stats_t;

/* ZX_INFO_VMO flags. */
#define ZX_INFO_VMO_TYPE_PHYSICAL  (0u << 0)
#define ZX_INFO_VMO_TYPE_PAGED     (1u << 0)
#define ZX_INFO_VMO_RESIZABLE      (1u << 1)
#define ZX_INFO_VMO_IS_COW_CLONE   (1u << 2)
#define ZX_INFO_VMO_VIA_HANDLE     (1u << 3)
#define ZX_INFO_VMO_VIA_MAPPING    (1u << 4)
#define ZX_INFO_VMO_PAGER_BACKED   (1u << 5)
#define ZX_INFO_VMO_CONTIGUOUS     (1u << 6)
#define ZX_INFO_VMO_DISCARDABLE    (1u << 7)
#define ZX_INFO_VMO_IMMUTABLE      (1u << 8)
#define ZX_INFO_VMO_VIA_IOB_HANDLE (1u << 9)
#define ZX_INFO_VMO_TYPE(flags)    ((flags) & (1u << 0))

typedef struct zx_info_vmo_v1 {
    zx_koid_t koid;
    char name[ZX_MAX_NAME_LEN];
    uint64_t size_bytes;
    zx_koid_t parent_koid;
    size_t num_children;
    size_t num_mappings;
    size_t share_count;
    uint32_t flags;
    uint8_t padding1[4];
    uint64_t committed_bytes;
    zx_rights_t handle_rights;
    uint32_t cache_policy;
} zx_info_vmo_v1_t;

typedef struct zx_info_vmo_v2 {
    zx_koid_t koid;
    char name[ZX_MAX_NAME_LEN];
    uint64_t size_bytes;
    zx_koid_t parent_koid;
    size_t num_children;
    size_t num_mappings;
    size_t share_count;
    uint32_t flags;
    uint8_t padding1[4];
    uint64_t committed_bytes;
    zx_rights_t handle_rights;
    uint32_t cache_policy;
    uint64_t metadata_bytes;
    uint64_t committed_change_events;
} zx_info_vmo_v2_t;

typedef struct zx_info_vmo_v3 {
    zx_koid_t koid;
    char name[ZX_MAX_NAME_LEN];
    uint64_t size_bytes;
    zx_koid_t parent_koid;
    size_t num_children;
    size_t num_mappings;
    size_t share_count;
    uint32_t flags;
    uint8_t padding1[4];
    uint64_t committed_bytes;
    zx_rights_t handle_rights;
    uint32_t cache_policy;
    uint64_t metadata_bytes;
    uint64_t committed_change_events;
    uint64_t populated_bytes;
} zx_info_vmo_v3_t;

typedef struct zx_info_vmo {
    zx_koid_t koid;
    char name[ZX_MAX_NAME_LEN];
    uint64_t size_bytes;
    zx_koid_t parent_koid;
    size_t num_children;
    size_t num_mappings;
    size_t share_count;
    uint32_t flags;
    uint8_t padding1[4];
    uint64_t committed_bytes;
    zx_rights_t handle_rights;
    uint32_t cache_policy;
    uint64_t metadata_bytes;
    uint64_t committed_change_events;
    uint64_t populated_bytes;
    uint64_t committed_private_bytes;
    uint64_t populated_private_bytes;
    uint64_t committed_scaled_bytes;
    uint64_t populated_scaled_bytes;
    uint64_t committed_fractional_scaled_bytes;
    uint64_t populated_fractional_scaled_bytes;
} zx_info_vmo_t;

/* ZX_INFO_PROCESS_MAPS / ZX_INFO_VMAR_MAPS. */
typedef uint32_t zx_info_maps_type_t;
#define ZX_INFO_MAPS_TYPE_NONE    ((zx_info_maps_type_t)0u)
#define ZX_INFO_MAPS_TYPE_ASPACE  ((zx_info_maps_type_t)1u)
#define ZX_INFO_MAPS_TYPE_VMAR    ((zx_info_maps_type_t)2u)
#define ZX_INFO_MAPS_TYPE_MAPPING ((zx_info_maps_type_t)3u)

typedef struct zx_info_maps_mapping_v1 {
    zx_vm_option_t mmu_flags;
    uint8_t padding1[4];
    zx_koid_t vmo_koid;
    uint64_t vmo_offset;
    size_t committed_pages;
} zx_info_maps_mapping_v1_t;

typedef struct zx_info_maps_mapping_v2 {
    zx_vm_option_t mmu_flags;
    uint8_t padding1[4];
    zx_koid_t vmo_koid;
    uint64_t vmo_offset;
    size_t committed_pages;
    size_t populated_pages;
} zx_info_maps_mapping_v2_t;

typedef struct zx_info_maps_mapping {
    zx_vm_option_t mmu_flags;
    uint8_t padding1[4];
    zx_koid_t vmo_koid;
    uint64_t vmo_offset;
    size_t committed_bytes;
    size_t populated_bytes;
    size_t committed_private_bytes;
    size_t populated_private_bytes;
    size_t committed_scaled_bytes;
    size_t populated_scaled_bytes;
    uint64_t committed_fractional_scaled_bytes;
    uint64_t populated_fractional_scaled_bytes;
} zx_info_maps_mapping_t;

typedef struct zx_info_maps_v1 {
    char name[ZX_MAX_NAME_LEN];
    zx_vaddr_t base;
    size_t size;
    size_t depth;
    zx_info_maps_type_t type;
    uint8_t padding1[4];
    union {
        zx_info_maps_mapping_v1_t mapping;
    } u;
} zx_info_maps_v1_t;

typedef struct zx_info_maps_v2 {
    char name[ZX_MAX_NAME_LEN];
    zx_vaddr_t base;
    size_t size;
    size_t depth;
    zx_info_maps_type_t type;
    uint8_t padding1[4];
    union {
        zx_info_maps_mapping_v2_t mapping;
    } u;
} zx_info_maps_v2_t;

typedef struct zx_info_maps {
    char name[ZX_MAX_NAME_LEN];
    zx_vaddr_t base;
    size_t size;
    size_t depth;
    zx_info_maps_type_t type;
    uint8_t padding1[4];
    union {
        zx_info_maps_mapping_t mapping;
    } u;
} zx_info_maps_t;

_Static_assert(sizeof(zx_info_handle_basic_t) == 32, "zx_info_handle_basic_t layout");
_Static_assert(sizeof(zx_info_vmar_t) == 16, "zx_info_vmar_t layout");
_Static_assert(sizeof(zx_info_vmo_v1_t) == 104, "zx_info_vmo_v1_t layout");
_Static_assert(sizeof(zx_info_vmo_v2_t) == 120, "zx_info_vmo_v2_t layout");
_Static_assert(sizeof(zx_info_vmo_v3_t) == 128, "zx_info_vmo_v3_t layout");
_Static_assert(sizeof(zx_info_vmo_t) == 176, "zx_info_vmo_t layout");
_Static_assert(sizeof(zx_info_maps_v1_t) == 96, "zx_info_maps_v1_t layout");
_Static_assert(sizeof(zx_info_maps_v2_t) == 104, "zx_info_maps_v2_t layout");
_Static_assert(sizeof(zx_info_maps_t) == 152, "zx_info_maps_t layout");
_Static_assert(sizeof(zx_vmo_lock_state_t) == 32, "zx_vmo_lock_state_t layout");
