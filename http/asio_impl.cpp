// The one TU that compiles Asio and Beast (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are PUBLIC on hw_http): every other TU only instantiates
// templates, which keeps incremental builds of http/ and its tests short.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
