#!/bin/sh
# Build-time helper of guest/meson.build.
#
#   sdk.sh ar LLVM_AR OUT.a OBJ...
#       Creates OUT.a afresh (llvm-ar would otherwise keep stale members).
#   sdk.sh install SDK_DIR INCLUDE_DIR LIBC_INCLUDE_DIR DRIVER DRIVER_DEST STAMP [ISA CRT0 LIBC LIBZIRCON LDSCRIPT]...
#       Lays out the SDK: SDK_DIR/include (INCLUDE_DIR and LIBC_INCLUDE_DIR merged) and
#       SDK_DIR/<isa>/{crt0.o,libc.a,libzircon.a,zxsim.ld}; copies the
#       compiler driver to DRIVER_DEST; touches STAMP. Meson cannot declare
#       outputs outside the current build subdirectory, hence this script.
set -eu

cmd=$1
shift
case $cmd in
ar)
    ar=$1 out=$2
    shift 2
    rm -f "$out"
    "$ar" rcsD "$out" "$@"
    ;;
install)
    sdk=$1 include=$2 libc_include=$3 driver=$4 driver_dest=$5 stamp=$6
    shift 6
    mkdir -p "$sdk"
    rm -rf "$sdk/include.new"
    cp -R "$include" "$sdk/include.new"
    cp -R "$libc_include/." "$sdk/include.new/"
    rm -rf "$sdk/include"
    mv "$sdk/include.new" "$sdk/include"
    while [ $# -gt 0 ]; do
        isa=$1
        mkdir -p "$sdk/$isa"
        cp -f "$2" "$sdk/$isa/crt0.o"
        cp -f "$3" "$sdk/$isa/libc.a"
        cp -f "$4" "$sdk/$isa/libzircon.a"
        cp -f "$5" "$sdk/$isa/zxsim.ld"
        shift 5
    done
    cp -f "$driver" "$driver_dest.new"
    chmod +x "$driver_dest.new"
    mv -f "$driver_dest.new" "$driver_dest"
    touch "$stamp"
    ;;
*)
    echo "sdk.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
